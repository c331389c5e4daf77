/**
 * Restart-storm benchmark (issue 11; not a test). For each fleet size, `centinela serve` and
 * plain aedes (bench/storm-aedes-broker.ts) in the same run, each with one secret per device
 * checked with production hashing (SHA-256, src/platform/secrets.ts):
 *   1. the whole fleet connects at once (cold start): time until half and all are connected;
 *   2. alarms at rest, one device each, paced: PUBACK p50/p99 and server CPU per alarm, beside
 *      the durable-commit floor (one SQLite WAL commit with synchronous=FULL on the same disk,
 *      measured in this run) and, for Centinela, the durable commit of a press alone
 *      (bench/commit-floor.ts);
 *   3. heartbeats (QoS 1) at a fixed fleet-wide rate: server CPU per heartbeat;
 *   4. kill -9 of the server, restart on the same port and data: time until half and all are
 *      back (from the kill and from the moment the new process listens), with alarms pressed
 *      throughout the storm (a device not yet back sends its alarm when it is): none may be lost,
 *      PUBACK p99 from the PUBLISH that got it.
 * Devices behave like real ones: reconnect period + jitter after a lost connection, a CONNECT
 * given up after --connect-timeout-s without CONNACK.
 *
 *   node --import tsx bench/restart-storm.ts [--sizes 2000,10000,20000] [--targets centinela,aedes]
 *     [--per-process 5000] [--rest-alarms 100] [--hb-rate 300] [--hb-s 20] [--storm-alarms 100]
 *     [--storm-alarm-rate 5] [--connect-timeout-s 30] [--max-wait-s 300] [--profile-restart DIR]
 *
 * Prints Markdown tables (bench/restart-storm-results.md) and the raw JSON to bench/results/.
 */
import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { commitFloor, pressCommitFloor, quantile } from './commit-floor.ts';
import { cpuMsOf, fileLimitOf, sampleProc } from './load-proc.ts';
import { registerFleet, unregisteredFleet } from './load-register.ts';
import { startCentinelaServe } from './load-servers.ts';
import type { AlarmRecord, StormCommand, StormReport } from './storm-worker.ts';

const WORKER = fileURLToPath(new URL('./storm-worker.ts', import.meta.url));
const AEDES = fileURLToPath(new URL('./storm-aedes-broker.ts', import.meta.url));
const CENTINELA_BIN = fileURLToPath(new URL('../bin/centinela.js', import.meta.url));

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '2000' },
    targets: { type: 'string', default: 'centinela,aedes' },
    'per-process': { type: 'string', default: '5000' },
    'rest-alarms': { type: 'string', default: '100' },
    'rest-rate': { type: 'string', default: '10' },
    'hb-rate': { type: 'string', default: '300' },
    'hb-s': { type: 'string', default: '20' },
    'idle-s': { type: 'string', default: '5' },
    'storm-alarms': { type: 'string', default: '100' },
    'storm-alarm-rate': { type: 'string', default: '5' },
    'connect-timeout-s': { type: 'string', default: '30' },
    'reconnect-ms': { type: 'string', default: '1000' },
    'jitter-ms': { type: 'string', default: '1000' },
    'max-wait-s': { type: 'string', default: '300' },
    /** A directory: the restarted Centinela writes a V8 CPU profile of its start and the storm there. */
    'profile-restart': { type: 'string' },
  },
});
const num = (k: keyof typeof values) => Number(values[k]);
/** Servers started by this run: killed if the run dies, so no broker is left holding a port. */
const serverPids = new Set<number>();
process.on('exit', () => {
  for (const pid of serverPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
// bin/centinela.js runs the bundle only when it is newer than every source: build it, so the
// restart is timed as a user's `npm ci` install starts it, not through tsx's loader.
execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => os.loadavg()[0]?.toFixed(1) ?? '?';

const ms = (x: number | undefined) => (x === undefined ? '–' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(1)} ms`);

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * The kernel's listen-queue counters (TcpExt in /proc/net/netstat, the whole machine):
 * ListenOverflows counts handshakes completed while the accept queue was full, ListenDrops every
 * SYN or handshake dropped at a listener. A dropped SYN is sent again by the device's kernel
 * after 1, 3, 7, 15, 31 s, so a server that stops accepting for a moment puts a tail of seconds on
 * the storm. Other processes on the machine count here too: read it as an indication.
 */
function listenCounters(): { overflows: number; drops: number } {
  try {
    const lines = fs.readFileSync('/proc/net/netstat', 'utf8').split('\n');
    const i = lines.findIndex((l) => l.startsWith('TcpExt:'));
    const names = (lines[i] ?? '').split(' ');
    const vals = (lines[i + 1] ?? '').split(' ');
    const v = (n: string) => Number(vals[names.indexOf(n)] ?? Number.NaN);
    return { overflows: v('ListenOverflows'), drops: v('ListenDrops') };
  } catch {
    return { overflows: Number.NaN, drops: Number.NaN };
  }
}

/**
 * Waits until the process is idle: CPU under 5 % over two 1-second windows in a row (at most
 * `maxMs`). Right after the cold connect Centinela is still writing liveness and telemetry, and
 * aedes collecting garbage; an "idle" rate sampled then is too high and the net CPU of the next
 * step comes out too low, even negative.
 */
async function waitIdle(pid: number, maxMs: number): Promise<{ waitedMs: number; settled: boolean }> {
  const started = Date.now();
  let quiet = 0;
  let prev = sampleProc(pid);
  while (Date.now() - started < maxMs) {
    await sleep(1000);
    const next = sampleProc(pid);
    quiet = (next.cpuMs - prev.cpuMs) / (next.at - prev.at) < 0.05 ? quiet + 1 : 0;
    prev = next;
    if (quiet >= 2) return { waitedMs: Date.now() - started, settled: true };
  }
  return { waitedMs: Date.now() - started, settled: false };
}

/** Centinela's own account of the storm: the MQTT counters of /metrics (loopback may read them). */
async function mqttMetrics(httpUrl: string | undefined): Promise<Record<string, number> | undefined> {
  if (!httpUrl) return undefined;
  try {
    const text = await (await fetch(`${httpUrl}/metrics`)).text();
    const out: Record<string, number> = {};
    for (const line of text.split('\n')) {
      const m = /^(centinela_(?:mqtt|auth|open_files|ingest_overloaded|ingest_heartbeats_shed)[^ ]*) ([0-9.e+-]+)$/.exec(line);
      if (m) out[m[1] as string] = Number(m[2]);
    }
    return out;
  } catch {
    return undefined;
  }
}

interface Server {
  pid: number;
  /** Centinela's HTTP address (for /metrics). */
  httpUrl?: string | undefined;
  exited: Promise<void>;
  stop(): Promise<void>;
}

async function startServer(
  target: 'centinela' | 'aedes',
  port: number,
  dir: string,
  prefix: string,
  size: number,
  profileDir?: string,
): Promise<Server> {
  if (target === 'centinela' && profileDir) return startProfiledCentinela(port, dir, profileDir);
  if (target === 'centinela') {
    const s = await startCentinelaServe({ CENTINELA_MQTT_PORT: String(port), CENTINELA_DATA_DIR: dir, CENTINELA_LOG_LEVEL: 'info' });
    const exited = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (s.exited()) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    return { pid: s.pid, httpUrl: s.httpUrl, exited, stop: () => s.stop() };
  }
  const child = spawn(process.execPath, ['--import', 'tsx', AEDES, String(port), prefix, String(size)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`aedes exited (${code}) while starting`)));
    readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (l) => {
      if (l.includes('plain aedes listening')) resolve();
    });
  });
  return {
    pid: child.pid as number,
    exited,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** `centinela serve` under `node --cpu-prof` (not allowed in NODE_OPTIONS); the profile is written when it stops. */
async function startProfiledCentinela(port: number, dir: string, profileDir: string): Promise<Server> {
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, CENTINELA_BIN, 'serve'], {
    env: {
      ...process.env,
      CENTINELA_HTTP_PORT: '0',
      CENTINELA_HTTP_HOST: '127.0.0.1',
      CENTINELA_MQTT_HOST: '127.0.0.1',
      CENTINELA_MQTT_PORT: String(port),
      CENTINELA_DATA_DIR: dir,
      CENTINELA_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const httpUrl = await new Promise<string | undefined>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`centinela exited (${code}) while starting`)));
    readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (l) => {
      if (l.includes('"centinela started"')) resolve((JSON.parse(l) as { http?: string }).http);
    });
  });
  return {
    pid: child.pid as number,
    httpUrl,
    exited,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The fleet's worker processes, with the latest connected count of each. */
class Fleet {
  private readonly workers: ChildProcess[] = [];
  private readonly connected: number[] = [];
  /** Each worker's latest totals of CONNACKs refusing, CONNECTs given up, and connection attempts. */
  private readonly tries: { refused: number; timeouts: number; attempts: number }[] = [];
  private readonly waiters: ((r: StormReport, worker: number) => void)[] = [];
  private onCount: (() => void) | undefined;
  private readonly slices: { id: string; secret: string }[][] = [];

  constructor(private readonly size: number) {}

  /** Forks the worker processes (not timed: a worker loading tsx takes a second or two). */
  async spawn(devices: { id: string; secret: string }[], per: number): Promise<void> {
    for (let i = 0; i < devices.length; i += per) this.slices.push(devices.slice(i, i + per));
    await Promise.all(
      this.slices.map(
        (_, i) =>
          new Promise<void>((resolve) => {
            const w = fork(WORKER, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced' });
            this.workers.push(w);
            this.connected.push(0);
            this.tries.push({ refused: 0, timeouts: 0, attempts: 0 });
            w.on('message', (r: StormReport) => {
              if (r.type === 'ready') resolve();
              else if (r.type === 'count') {
                this.connected[i] = r.connected;
                this.tries[i] = { refused: r.refused, timeouts: r.timeouts, attempts: r.attempts };
                this.onCount?.();
              } else for (const f of [...this.waiters]) f(r, i);
            });
          }),
      ),
    );
  }

  /** Every device connects at once. */
  connect(port: number): void {
    for (const [i, slice] of this.slices.entries())
      this.send(i, {
        cmd: 'start',
        port,
        devices: slice,
        reconnectMs: num('reconnect-ms'),
        jitterMs: num('jitter-ms'),
        connectTimeoutMs: num('connect-timeout-s') * 1000,
      });
  }

  /** Resolves once the workers report no device connected (after a kill), or after `maxMs`. */
  async waitAllGone(maxMs: number): Promise<void> {
    const deadline = Date.now() + maxMs;
    while (this.total() > 0 && Date.now() < deadline) await sleep(20);
  }

  pids(): number[] {
    return this.workers.map((w) => w.pid as number);
  }

  /** Fleet-wide refused CONNACKs, CONNECTs given up after the timeout, and connection attempts so far. */
  attempts(): { refused: number; timeouts: number; attempts: number } {
    return this.tries.reduce(
      (a, t) => ({ refused: a.refused + t.refused, timeouts: a.timeouts + t.timeouts, attempts: a.attempts + t.attempts }),
      { refused: 0, timeouts: 0, attempts: 0 },
    );
  }

  total(): number {
    return this.connected.reduce((a, b) => a + b, 0);
  }

  send(i: number, c: StormCommand): void {
    this.workers[i]?.send(c);
  }

  broadcast(c: StormCommand): void {
    for (let i = 0; i < this.workers.length; i++) this.send(i, c);
  }

  /** Resolves with the times at which half and all of the fleet were connected (or undefined). */
  waitConnected(maxMs: number): Promise<{ half: number | undefined; all: number | undefined }> {
    return new Promise((resolve) => {
      let half: number | undefined;
      const finish = (all: number | undefined) => {
        this.onCount = undefined;
        clearTimeout(timer);
        resolve({ half, all });
      };
      const timer = setTimeout(() => finish(undefined), maxMs);
      this.onCount = () => {
        const n = this.total();
        if (half === undefined && n >= this.size / 2) half = Date.now();
        if (n >= this.size) finish(Date.now());
      };
    });
  }

  waitFor<T extends StormReport['type']>(type: T, workers: number): Promise<Extract<StormReport, { type: T }>[]> {
    return new Promise((resolve) => {
      const got: Extract<StormReport, { type: T }>[] = [];
      const f = (r: StormReport) => {
        if (r.type !== type) return;
        got.push(r as Extract<StormReport, { type: T }>);
        if (got.length === workers) {
          this.waiters.splice(this.waiters.indexOf(f), 1);
          resolve(got);
        }
      };
      this.waiters.push(f);
    });
  }

  async alarms(): Promise<AlarmRecord[]> {
    const reports = this.waitFor('report', this.workers.length);
    this.broadcast({ cmd: 'report' });
    return (await reports).flatMap((r) => r.alarms);
  }

  get count(): number {
    return this.workers.length;
  }

  stop(): void {
    this.broadcast({ cmd: 'exit' });
  }
}

/** Waits until every alarm with the tag is acknowledged, or `maxMs` passes. */
async function settleAlarms(fleet: Fleet, tag: string, maxMs: number): Promise<AlarmRecord[]> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const mine = (await fleet.alarms()).filter((a) => a.id.startsWith(`${tag}-`));
    if (mine.every((a) => a.ackedAt !== undefined) || Date.now() > deadline) return mine;
    await sleep(250);
  }
}

async function run(size: number, target: 'centinela' | 'aedes') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `storm-${target}-`));
  const prefix = `st${size}`;
  const devices = target === 'centinela' ? (await registerFleet(dir, size, prefix)).devices : unregisteredFleet(size, prefix).devices;
  const floor = commitFloor(dir);
  const pressFloor =
    target === 'centinela'
      ? pressCommitFloor(
          path.join(dir, 'centinela.db'),
          devices.map((d) => d.id),
        )
      : undefined;
  const port = await freePort();
  let server = await startServer(target, port, dir, prefix, size);
  serverPids.add(server.pid);
  const fleet = new Fleet(size);
  const result: Record<string, unknown> = { size, target, floor, pressFloor, fileLimit: fileLimitOf(server.pid) };
  try {
    // 1. Cold start: everyone at once.
    await fleet.spawn(
      devices.map((d) => ({ id: d.id, secret: d.secret ?? '' })),
      num('per-process'),
    );
    const t0 = Date.now();
    const cold = fleet.waitConnected(num('max-wait-s') * 1000);
    fleet.connect(port);
    const c = await cold;
    result.cold = { halfMs: c.half && c.half - t0, allMs: c.all && c.all - t0, load: load() };
    process.stderr.write(`${target} ${size}: cold connect ${JSON.stringify(result.cold)}\n`);
    await sleep(3000);

    // Idle CPU rate, to subtract from the measured steps: sampled once the server has finished
    // with the connect (liveness writes, garbage collection), not while it is still busy.
    result.idleWait = await waitIdle(server.pid, 60_000);
    // The median of one-second rates: a garbage collection V8 starts on its own once allocation
    // stops (it did in one window in five for aedes at 10,000 devices) is not the idle rate.
    const idleRates: number[] = [];
    let i0 = sampleProc(server.pid);
    for (let k = 0; k < num('idle-s'); k++) {
      await sleep(1000);
      const i1 = sampleProc(server.pid);
      idleRates.push((i1.cpuMs - i0.cpuMs) / (i1.at - i0.at));
      i0 = i1;
    }
    const idlePerMs = quantile(idleRates, 0.5) ?? 0;
    result.idleCpuShare = { median: idlePerMs, each: idleRates };

    // 2. Alarms at rest.
    const r0 = sampleProc(server.pid);
    const sentRest = fleet.waitFor('alarms-sent', 1);
    fleet.send(0, { cmd: 'alarms', count: num('rest-alarms'), ratePerS: num('rest-rate'), tag: 'rest' });
    await sentRest;
    const rest = await settleAlarms(fleet, 'rest', 30_000);
    const r1 = sampleProc(server.pid);
    const restLat = rest.filter((a) => a.ackedAt).map((a) => (a.ackedAt as number) - a.sentAt);
    result.rest = {
      alarms: rest.length,
      acked: restLat.length,
      p50: quantile(restLat, 0.5),
      p99: quantile(restLat, 0.99),
      cpuMsPerAlarm: rest.length > 0 ? (r1.cpuMs - r0.cpuMs - idlePerMs * (r1.at - r0.at)) / rest.length : undefined,
      load: load(),
    };
    process.stderr.write(`${target} ${size}: rest ${JSON.stringify(result.rest)}\n`);

    // 3. Heartbeats at a fixed fleet-wide rate.
    const h0 = sampleProc(server.pid);
    const hbDone = fleet.waitFor('heartbeats', fleet.count);
    fleet.broadcast({ cmd: 'heartbeats', ratePerS: num('hb-rate') / fleet.count, seconds: num('hb-s') });
    const hb = await hbDone;
    const h1 = sampleProc(server.pid);
    const sent = hb.reduce((a, r) => a + r.sent, 0);
    const acked = hb.reduce((a, r) => a + r.acked, 0);
    result.heartbeats = {
      sent,
      acked,
      cpuUsPerHeartbeat: ((h1.cpuMs - h0.cpuMs - idlePerMs * (h1.at - h0.at)) * 1000) / Math.max(1, acked),
      grossCpuUsPerHeartbeat: ((h1.cpuMs - h0.cpuMs) * 1000) / Math.max(1, acked),
      load: load(),
    };
    process.stderr.write(`${target} ${size}: heartbeats ${JSON.stringify(result.heartbeats)}\n`);

    // 4. kill -9, restart, alarms throughout.
    const loadGen0 = cpuMsOf(fleet.pids());
    const listen0 = listenCounters();
    const killedAt = Date.now();
    process.kill(server.pid, 'SIGKILL');
    await server.exited;
    // The workers report every 100 ms: wait until they have seen every connection drop.
    await fleet.waitAllGone(5_000);
    const tries0 = fleet.attempts();
    // How many are back, second by second from the kill: the shape of the tail.
    const timeline: number[] = [];
    const sampler = setInterval(() => timeline.push(fleet.total()), 1000);
    const back = fleet.waitConnected(num('max-wait-s') * 1000);
    const stormSent = fleet.waitFor('alarms-sent', 1);
    fleet.send(0, { cmd: 'alarms', count: num('storm-alarms'), ratePerS: num('storm-alarm-rate'), tag: 'storm' });
    server = await startServer(target, port, dir, prefix, size, values['profile-restart']);
    serverPids.add(server.pid);
    const listeningAt = Date.now();
    const b = await back;
    clearInterval(sampler);
    const tries1 = fleet.attempts();
    const listen1 = listenCounters();
    await stormSent;
    const storm = await settleAlarms(fleet, 'storm', 60_000);
    const stormLat = storm.filter((a) => a.ackedAt).map((a) => (a.ackedAt as number) - a.sentAt);
    const pressLat = storm.filter((a) => a.ackedAt).map((a) => (a.ackedAt as number) - a.pressedAt);
    result.storm = {
      restartMs: listeningAt - killedAt,
      halfFromKillMs: b.half && b.half - killedAt,
      allFromKillMs: b.all && b.all - killedAt,
      allFromListeningMs: b.all && b.all - listeningAt,
      alarms: storm.length,
      acked: stormLat.length,
      lost: storm.length - stormLat.length,
      pubackP50: quantile(stormLat, 0.5),
      pubackP99: quantile(stormLat, 0.99),
      pressToPubackP99: quantile(pressLat, 0.99),
      loadGenCpuMs: cpuMsOf(fleet.pids()) - loadGen0,
      // From the kill until all were back: CONNECT attempts, CONNACKs refusing, CONNECTs given up
      // unanswered after the timeout; and the machine's listen-queue drops meanwhile.
      connectAttempts: tries1.attempts - tries0.attempts,
      refusedConnacks: tries1.refused - tries0.refused,
      connectTimeouts: tries1.timeouts - tries0.timeouts,
      listenOverflows: listen1.overflows - listen0.overflows,
      listenDrops: listen1.drops - listen0.drops,
      backEachSecond: timeline,
      serverMetrics: await mqttMetrics(server.httpUrl),
      load: load(),
    };
    if (target === 'centinela') {
      const db = new SQLite(path.join(dir, 'centinela.db'), { readonly: true });
      const stored = db
        .prepare("select count(distinct device_alarm_id) as n from alarm_presses where device_alarm_id like 'storm-%'")
        .get() as {
        n: number;
      };
      db.close();
      (result.storm as Record<string, unknown>).stored = stored.n;
    }
    process.stderr.write(`${target} ${size}: storm ${JSON.stringify(result.storm)}\n`);
  } finally {
    fleet.stop();
    await server.stop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

const results: Record<string, unknown>[] = [];
for (const size of (values.sizes as string).split(',').map(Number)) {
  for (const target of (values.targets as string).split(',') as ('centinela' | 'aedes')[]) {
    results.push(await run(size, target));
    await sleep(2000);
  }
}

const started = new Date().toISOString();
fs.mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
const file = `./results/restart-storm-${started.replace(/[:.]/g, '-')}.json`;
fs.writeFileSync(fileURLToPath(new URL(file, import.meta.url)), JSON.stringify(results, null, 2));

type Row = Record<string, Record<string, number | string | undefined>> & { size: number; target: string };
const rows = results as unknown as Row[];
const out: string[] = [`## Run of ${started} (${os.cpus().length} cores, load average at the end ${load()})`, ''];
out.push(
  '| devices | target | cold: half / all connected | kill -9 → restarted (listening) | kill → half back | kill → all back | listening → all back | storm alarms sent / acked / stored / lost | storm PUBACK p50 / p99 (press → PUBACK p99) | load avg |',
  '|---|---|---|---|---|---|---|---|---|---|',
);
for (const r of rows) {
  const s = r.storm ?? {};
  out.push(
    `| ${r.size} | ${r.target} | ${ms(r.cold?.halfMs as number)} / ${ms(r.cold?.allMs as number)} | ${ms(s.restartMs as number)} | ${ms(s.halfFromKillMs as number)} | ${ms(s.allFromKillMs as number)} | ${ms(s.allFromListeningMs as number)} | ${s.alarms} / ${s.acked} / ${s.stored ?? '–'} / ${s.lost} | ${ms(s.pubackP50 as number)} / ${ms(s.pubackP99 as number)} (${ms(s.pressToPubackP99 as number)}) | ${s.load} |`,
  );
}
out.push(
  '',
  "| devices | target | alarms at rest: PUBACK p50 / p99 | durable-commit floor p50 / p99 (same run, same disk) | a press's own durable commit p50 / p99 | CPU per alarm at intake | heartbeats acked | CPU per heartbeat (net of idle; gross) | load avg |",
  '|---|---|---|---|---|---|---|---|---|',
);
for (const r of rows) {
  out.push(
    `| ${r.size} | ${r.target} | ${ms(r.rest?.p50 as number)} / ${ms(r.rest?.p99 as number)} | ${ms(r.floor?.p50 as number)} / ${ms(r.floor?.p99 as number)} | ${ms(r.pressFloor?.p50 as number)} / ${ms(r.pressFloor?.p99 as number)} | ${ms(r.rest?.cpuMsPerAlarm as number)} | ${r.heartbeats?.acked} of ${r.heartbeats?.sent} | ${Number(r.heartbeats?.cpuUsPerHeartbeat).toFixed(0)} µs; ${Number(r.heartbeats?.grossCpuUsPerHeartbeat).toFixed(0)} µs | ${r.rest?.load} / ${r.heartbeats?.load} |`,
  );
}
out.push(
  '',
  '| devices | target | kill → all back: CONNECT attempts / refused / given up unanswered | listen-queue overflows / drops (machine) | MQTT connections refused at the file limit (server) | idle wait before the CPU sample |',
  '|---|---|---|---|---|---|',
);
for (const r of rows) {
  const s = r.storm ?? {};
  const m = (s as unknown as { serverMetrics?: Record<string, number> }).serverMetrics;
  const refusedAtLimit = m?.['centinela_mqtt_connections_refused_total{reason="open_file_limit"}'] ?? (m ? 0 : '–');
  const idle = (r as unknown as { idleWait?: { waitedMs: number; settled: boolean } }).idleWait;
  out.push(
    `| ${r.size} | ${r.target} | ${s.connectAttempts} / ${s.refusedConnacks} / ${s.connectTimeouts} | ${s.listenOverflows} / ${s.listenDrops} | ${refusedAtLimit} | ${idle ? `${(idle.waitedMs / 1000).toFixed(0)} s${idle.settled ? '' : ' (never idle)'}` : '–'} |`,
  );
}
process.stdout.write(`${out.join('\n')}\n`);
