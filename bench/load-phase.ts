/**
 * One fleet size against one server: connect the fleet, let it settle, then measure a window of
 * steady heartbeats plus alarms, with a sample of devices failing during it. The same steps run
 * against Centinela and against plain aedes so the two can be compared side by side.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FleetDevice } from '../devices/fleet/fleet-device.ts';
import { TwilioRecorder } from '../test/fixtures/twilio-recorder.ts';
import { launchFleet } from './fleet-launcher.ts';
import { AlarmTracker, type Summary } from './load-alarms.ts';
import { type LimitProbe, probeFileLimit } from './load-limit-probe.ts';
import { type IngestCounters, readIngestCounters } from './load-metrics.ts';
import { GRACE_MS, type OfflineResult, startOfflineSample } from './load-offline.ts';
import { startOperatorBot } from './load-operator.ts';
import { childPids, cpuMsOf, FILE_LIMIT, fileLimitOf, type ProcSample, sampleProc } from './load-proc.ts';
import { type RegisteredFleet, registerFleet, unregisteredFleet } from './load-register.ts';
import { type ServerUnderTest, startCentinelaServe, startPlainAedes } from './load-servers.ts';
import { type StreamWatch, watchStream } from './load-stream.ts';

/**
 * Files kept free at the largest size for what Centinela opens besides device sockets while it
 * runs: HTTP clients (our stream and /metrics scrapes), Twilio requests in flight, SQLite.
 */
export const FILE_HEADROOM = 150;

export interface PhaseConfig {
  /** Devices to connect; 'max' = as many as the file limit leaves room for after Centinela's own files. */
  size: number | 'max';
  baselineS: number;
  warmS: number;
  windowS: number;
  alarmEveryS: number;
  devicesPerProcess: number;
  /** Devices in each offline sample (dropped, hung). */
  sample: number;
  /** Rehearsal only: start the servers with a lower open-file limit (prlimit) to try 'max' and the probe small. */
  fileLimit?: number;
  /** At the largest size, after measuring: push Centinela past its open-file limit (load-limit-probe.ts). */
  probeLimit?: boolean;
}

export interface PhaseResult {
  target: 'centinela' | 'aedes';
  size: number | 'max';
  devices: number;
  loadProcesses: number;
  connectS: number;
  idle: { cpuCores: number; rssBytes: number; openFiles: number; fileLimit: number; load1: number };
  window: {
    seconds: number;
    heartbeatsSent: number;
    /** Centinela's own count (GET /metrics); plain aedes has none. */
    heartbeatsAccepted?: number;
    heartbeatsShed?: number;
    cpuCores: number;
    cpuUsPerHeartbeat: number;
    loadGeneratorCores: number;
    rssBytes: number;
    peakRssBytes: number;
    openFiles: number;
    load1: number;
  };
  rssPerDeviceBytes: number;
  loadGeneratorRssBytes: number;
  alarms: {
    sent: number;
    unacked: number;
    puback?: Summary;
    firstSms?: Summary;
    /** Non-test first presses (repeat presses join an open alarm and page no one again). */
    nonTest?: number;
    repeats?: number;
    withoutSms?: number;
    operator?: { acknowledged: number; resolved: number; failed: number };
  };
  offline?: OfflineResult;
  warnings: number;
  serverSurvived: boolean;
  limitProbe?: LimitProbe;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (m: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${m}\n`);
const noStream: StreamWatch = { changes: () => [], total: () => 0, close: () => undefined };

async function measureIdle(pid: number, seconds: number): Promise<PhaseResult['idle']> {
  const a = sampleProc(pid);
  await sleep(seconds * 1000);
  const b = sampleProc(pid);
  return {
    cpuCores: (b.cpuMs - a.cpuMs) / (b.at - a.at),
    rssBytes: b.rssBytes,
    openFiles: b.openFiles,
    fileLimit: fileLimitOf(pid),
    load1: os.loadavg()[0] as number,
  };
}

/** The load generator's CPU: every child but the server, plus this process (sample devices, recorder). */
function loadGeneratorCpuMs(server: ServerUnderTest): number {
  const own = process.cpuUsage();
  return cpuMsOf(childPids(process.pid).filter((p) => p !== server.pid)) + (own.user + own.system) / 1000;
}

/** Splits the connected devices: the last 2×sample are the offline probes, the rest the fleet. */
function split(devices: FleetDevice[], sample: number) {
  const fleet = devices.slice(0, devices.length - 2 * sample);
  const hung = devices.slice(fleet.length, fleet.length + sample);
  const dropped = devices.slice(fleet.length + sample);
  return { fleet, hung, dropped };
}

export function sizeFor(cfg: PhaseConfig, limit: number, idleOpenFiles: number, registered: number): number {
  return cfg.size === 'max' ? Math.min(registered, limit - idleOpenFiles - FILE_HEADROOM) : cfg.size;
}

interface Window {
  startedAt: number;
  endedAt: number;
  before: ProcSample;
  after: ProcSample;
  loadCpuMs: number;
  sent: number;
  counters?: [IngestCounters, IngestCounters];
}

export async function runPhase(target: 'centinela' | 'aedes', cfg: PhaseConfig, aedesDevices?: number): Promise<PhaseResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-load-'));
  // Plain aedes has no registry: the same device ids and secrets, which it accepts unchecked.
  const reg =
    target === 'aedes'
      ? unregisteredFleet(aedesDevices as number)
      : await registerFleet(dir, cfg.size === 'max' ? (cfg.fileLimit ?? FILE_LIMIT) : cfg.size);
  const rec = target === 'centinela' ? await TwilioRecorder.start() : undefined;
  const server =
    target === 'centinela'
      ? await startCentinelaServe(
          { CENTINELA_DATA_DIR: dir, CENTINELA_PUBLIC_URL: 'https://centinela.example.org', ...rec?.env() },
          cfg.fileLimit,
        )
      : await startPlainAedes(cfg.fileLimit);
  // Undone last-in first-out: the fleet goes before the server, the server before its files.
  const cleanup: (() => Promise<void> | void)[] = [
    () => fs.rmSync(dir, { recursive: true, force: true }),
    () => rec?.stop(),
    () => server.stop(),
  ];
  try {
    return await measurePhase(target, cfg, server, reg, rec, cleanup);
  } finally {
    for (const step of cleanup.reverse()) await step();
  }
}

async function measurePhase(
  target: 'centinela' | 'aedes',
  cfg: PhaseConfig,
  server: ServerUnderTest,
  reg: RegisteredFleet,
  rec: TwilioRecorder | undefined,
  cleanup: (() => Promise<void> | void)[],
): Promise<PhaseResult> {
  const idle = await measureIdle(server.pid, cfg.baselineS);
  const n = target === 'aedes' ? reg.devices.length : sizeFor(cfg, fileLimitOf(server.pid), idle.openFiles, reg.devices.length);
  const { fleet, hung, dropped } = split(reg.devices.slice(0, n), cfg.sample);
  say(`[${target} ${cfg.size}] idle: ${idle.openFiles} open files, ${(idle.rssBytes / 1e6).toFixed(0)} MB; connecting ${n} devices`);

  const sampleIds = new Set([...hung, ...dropped].map((d) => d.id));
  const bot = server.httpUrl ? startOperatorBot(server.httpUrl, reg.supervisorToken) : undefined;
  cleanup.push(() => bot?.stop());
  const stream = server.httpUrl ? await watchStream(server.httpUrl, reg.supervisorToken, sampleIds, bot?.onAlarm) : noStream;
  cleanup.push(() => stream.close());
  const probe = await startOfflineSample(server.mqttUrl, stream, dropped, hung);
  cleanup.push(() => probe.stop());
  const alarms = new AlarmTracker();
  const t0 = Date.now();
  const launched = await launchFleet({
    url: server.mqttUrl,
    devices: fleet,
    seed: 'load-bench',
    alarmEveryS: cfg.alarmEveryS,
    devicesPerProcess: cfg.devicesPerProcess,
    forward: ['alarm_pressed', 'alarm_sent', 'alarm_puback'],
    onEvent: alarms.onEvent,
  });
  cleanup.push(() => launched.stop());
  const connectedAt = Date.now();
  say(`[${target} ${cfg.size}] ${n} devices connected in ${((connectedAt - t0) / 1000).toFixed(1)} s over ${launched.processes} processes`);
  await sleep(cfg.warmS * 1000);

  const w = await measureWindow(
    server,
    cfg.windowS,
    () => launched.stats().heartbeats,
    () => probe.drop(),
  );
  if (target === 'centinela') {
    // Every sampled device must be seen offline: the hung ones are due 180 s after their connect.
    const until = Math.max(probe.hungDueAt(), w.startedAt + GRACE_MS) + 60_000;
    while (!probe.done() && Date.now() < until && !server.exited()) await sleep(1000);
  } else await sleep(3000);

  const sms = alarms.firstSms(connectedAt, w.endedAt, rec?.requests ?? [], reg.deviceOfPhone);
  const puback = alarms.puback(connectedAt, w.endedAt);
  const seconds = (w.endedAt - w.startedAt) / 1000;
  const heartbeats = w.counters ? w.counters[1].heartbeats - w.counters[0].heartbeats : w.sent;
  const result: PhaseResult = {
    target,
    size: cfg.size,
    devices: n,
    loadProcesses: launched.processes,
    connectS: (connectedAt - t0) / 1000,
    idle,
    window: {
      seconds,
      heartbeatsSent: w.sent,
      ...(w.counters ? { heartbeatsAccepted: heartbeats, heartbeatsShed: w.counters[1].shed - w.counters[0].shed } : {}),
      cpuCores: (w.after.cpuMs - w.before.cpuMs) / (w.after.at - w.before.at),
      cpuUsPerHeartbeat: ((w.after.cpuMs - w.before.cpuMs) * 1000) / Math.max(1, heartbeats),
      loadGeneratorCores: w.loadCpuMs / (w.endedAt - w.startedAt),
      rssBytes: w.after.rssBytes,
      peakRssBytes: w.after.peakRssBytes,
      openFiles: w.after.openFiles,
      load1: os.loadavg()[0] as number,
    },
    rssPerDeviceBytes: (w.after.rssBytes - idle.rssBytes) / n,
    loadGeneratorRssBytes: launched.workerRssBytes().reduce((a, b) => a + b, 0),
    alarms: {
      sent: puback.sent,
      unacked: puback.unacked,
      ...(puback.latency ? { puback: puback.latency } : {}),
      ...(rec
        ? {
            nonTest: sms.alarms,
            repeats: sms.repeats,
            withoutSms: sms.withoutSms,
            ...(sms.latency ? { firstSms: sms.latency } : {}),
            ...(bot ? { operator: bot.stats() } : {}),
          }
        : {}),
    },
    ...(target === 'centinela' ? { offline: probe.result() } : {}),
    warnings: server.warnings(),
    serverSurvived: !server.exited(),
  };
  if (cfg.probeLimit && target === 'centinela' && cfg.size === 'max') {
    say(`[${target} ${cfg.size}] probing the open-file limit`);
    const spare = dropped[0];
    if (spare?.secret) result.limitProbe = await probeFileLimit(server, { id: spare.id, secret: spare.secret });
  }
  return result;
}

async function measureWindow(server: ServerUnderTest, windowS: number, sent: () => number, atStart: () => void): Promise<Window> {
  const counters = server.httpUrl ? () => readIngestCounters(server.httpUrl as string) : undefined;
  const c0 = await counters?.();
  const sent0 = sent();
  const load0 = loadGeneratorCpuMs(server);
  const before = sampleProc(server.pid);
  const startedAt = Date.now();
  atStart();
  for (let left = windowS; left > 0; left -= 30) {
    await sleep(Math.min(30, left) * 1000);
    say(`  window ${Math.round(windowS - left + Math.min(30, left))}/${windowS} s: ${sent() - sent0} heartbeats sent`);
  }
  const after = sampleProc(server.pid);
  const endedAt = Date.now();
  const loadCpuMs = loadGeneratorCpuMs(server) - load0;
  const c1 = await counters?.();
  return { startedAt, endedAt, before, after, loadCpuMs, sent: sent() - sent0, ...(c0 && c1 ? { counters: [c0, c1] } : {}) };
}
