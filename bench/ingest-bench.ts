/**
 * Ingest benchmark (not a test): Centinela's embedded broker against plain aedes 1.2, measured
 * side by side in one run. For each fleet size and target: connect the fleet (spread over
 * load-generator processes), then
 *   0. wait until the broker process idles (what admitting the fleet left to do is done)
 *   1. idle fleet, alarms only              → alarm PUBACK latency at rest
 *   2. closed loop (bounded in-flight window) → sustainable heartbeat rate, server CPU per
 *      message, alarm PUBACK latency under that load
 *   3. open loop at twice that rate, alarms mixed in → stays up? alarms lost? heartbeats shed?
 *
 *   node --import tsx bench/ingest-bench.ts [--fleets 1000,10000] [--seconds 8] [--targets centinela,aedes] [--profile DIR]
 *
 * Device secrets are stored as the product stores them (SHA-256, src/platform/secrets.ts).
 */
import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashDeviceSecret } from '../src/platform/index.ts';
import { loadCatalogue, migrateToLatest, openStore } from '../src/store/index.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const FLEETS = arg('fleets', '1000,10000').split(',').map(Number);
const SECONDS = Number(arg('seconds', '8'));
const TARGETS = arg('targets', 'centinela,aedes').split(',');
/** `--profile DIR`: the broker process writes a V8 CPU profile there (open it in Chrome DevTools). */
const PROFILE = arg('profile', '');
/** Devices per load-generator process; at least two processes so one core's worth is not the ceiling. */
const PER_LOADER = 2_500;
const SECRET = 'dev_bench_secret';
const here = path.dirname(new URL(import.meta.url).pathname);

type Reply = Record<string, unknown>;

function child(file: string, args: string[], env: Record<string, string> = {}): { proc: ChildProcess; ask: (m: object) => Promise<Reply> } {
  const proc = fork(path.join(here, file), args, {
    execArgv: ['--import', 'tsx', ...(PROFILE && file.includes('server') ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [])],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const queue: ((r: Reply) => void)[] = [];
  proc.on('message', (m: Reply) => queue.shift()?.(m));
  const first = new Promise<Reply>((r) => queue.push(r));
  const ask = (m: object) => {
    const p = new Promise<Reply>((r) => queue.push(r));
    proc.send(m);
    return p;
  };
  (proc as unknown as { first: Promise<Reply> }).first = first;
  return { proc, ask };
}
const firstReply = (c: { proc: ChildProcess }) => (c.proc as unknown as { first: Promise<Reply> }).first;

async function prepareDatabase(dir: string, fleet: number): Promise<void> {
  const store = await openStore({ kind: 'sqlite', file: path.join(dir, 'centinela.db') });
  await migrateToLatest(store.db, store.engine);
  const { createRepositories } = await import('../src/store/index.ts');
  await createRepositories(store, { now: () => Date.now() }).deviceModels.upsertAll(await loadCatalogue());
  const hash = hashDeviceSecret(SECRET);
  const now = Date.now();
  await store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < fleet; i += 500) {
      const rows = Array.from({ length: Math.min(500, fleet - i) }, (_, k) => ({
        id: `pb-${i + k}`,
        model_id: 'panic-button',
        beneficiary_id: null,
        state_code: 'VER',
        requested_at: null,
        installed_at: now,
        retired_at: null,
        heartbeat_interval_s: null,
        offline_after_s: null,
        on_test_until: null,
        secret_hash: hash,
        created_at: now,
        updated_at: now,
      }));
      await trx.insertInto('devices').values(rows).execute();
    }
  });
  await store.close();
}

/** The i-th of n equal parts of the fleet. */
const slice = (ids: string[], i: number, n: number) => ids.slice(Math.floor((i * ids.length) / n), Math.floor(((i + 1) * ids.length) / n));

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

async function runTarget(target: string, fleet: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-bench-'));
  if (target === 'centinela') await prepareDatabase(dir, fleet);
  const server = child('ingest-server-worker.ts', [target], { CENTINELA_DATA_DIR: dir, CENTINELA_LOG_LEVEL: 'warn' });
  let serverDied = false;
  server.proc.on('exit', (code, signal) => {
    serverDied = true;
    console.error(`[${target}] server exited: code ${code} signal ${signal}`);
  });
  const { port } = (await firstReply(server)) as { port: number };
  const loaders = Array.from({ length: Math.max(2, Math.ceil(fleet / PER_LOADER)) }, () => child('ingest-load-worker.ts', []));
  await Promise.all(loaders.map(firstReply));
  const all = async (m: (i: number) => object) => Promise.all(loaders.map((l, i) => l.ask(m(i))));
  const sum = (rs: Reply[], k: string) => rs.reduce((s, r) => s + Number(r[k] ?? 0), 0);
  const lat = (rs: Reply[]) => rs.flatMap((r) => r.latencies as number[]);
  const stats = async () => (serverDied ? undefined : server.ask({ cmd: 'stats' }));

  const ids = Array.from({ length: fleet }, (_, i) => `pb-${i}`);
  const connected = await all((i) => ({ cmd: 'connect', port, ids: slice(ids, i, loaders.length), secret: SECRET, concurrency: 250 }));
  const result: Record<string, unknown> = {
    target,
    fleet,
    connected: sum(connected, 'connected'),
    connectFailed: sum(connected, 'failed'),
    connectMs: Math.max(...connected.map((c) => Number(c.ms))),
  };
  console.error(`[${target} ${fleet}] connected ${result.connected} in ${result.connectMs} ms`);

  // Settle: admitting a fleet leaves work behind (liveness records of every device that came
  // online). Steady state is measured once the broker process idles (< 0.2 cores for 2 s).
  const settleStarted = Date.now();
  for (let prev = await stats(); prev && Date.now() - settleStarted < 180_000; ) {
    await new Promise((r) => setTimeout(r, 2_000));
    const now = await stats();
    if (!now) break;
    const cores = (Number(now.cpuUs) - Number(prev.cpuUs)) / 1e6 / 2;
    prev = now;
    if (cores < 0.2) break;
  }
  result.settleMs = Date.now() - settleStarted;

  // 1. At rest: alarms only.
  const beforeIdle = await stats();
  const idle = await all(() => ({ cmd: 'closed', seconds: 3, window: 0, alarmRate: 10 / loaders.length }));
  const afterIdle = await stats();
  // What one alarm costs the broker process (with Centinela: storing it and the whole alerts engine).
  const cpuPerAlarmUs =
    beforeIdle && afterIdle ? (Number(afterIdle.cpuUs) - Number(beforeIdle.cpuUs)) / Math.max(1, sum(idle, 'alarmsAcked')) : 0;
  result.cpuMsPerAlarmAtRest = round(cpuPerAlarmUs / 1000, 2);
  result.idleAlarmP50 = round(pct(lat(idle), 50), 2);
  result.idleAlarmP99 = round(pct(lat(idle), 99), 2);

  // 2. Closed loop: the rate the broker sustains with 1,000 heartbeats in flight.
  const before = await stats();
  const closed = await all(() => ({
    cmd: 'closed',
    seconds: SECONDS,
    window: Math.ceil(1000 / loaders.length),
    alarmRate: 10 / loaders.length,
  }));
  const after = await stats();
  const acked = sum(closed, 'hbAcked');
  const sustainable = acked / SECONDS;
  result.sustainableHbPerS = Math.round(sustainable);
  result.cpuUsPerMsg = before && after ? round((Number(after.cpuUs) - Number(before.cpuUs)) / (acked + sum(closed, 'alarmsAcked'))) : null;
  // Heartbeats alone: the step's CPU minus its alarms at the at-rest price per alarm.
  result.cpuUsPerHeartbeat =
    before && after
      ? round(Math.max(0, Number(after.cpuUs) - Number(before.cpuUs) - cpuPerAlarmUs * sum(closed, 'alarmsAcked')) / Math.max(1, acked))
      : null;
  result.serverCpuCores = before && after ? round((Number(after.cpuUs) - Number(before.cpuUs)) / 1e6 / SECONDS, 2) : null;
  result.loadedAlarmP50 = round(pct(lat(closed), 50), 2);
  result.loadedAlarmP99 = round(pct(lat(closed), 99), 2);
  if (target === 'centinela' && before && after) {
    result.closedAccepted = Number(after.heartbeatsAccepted) - Number(before.heartbeatsAccepted);
    result.closedShed = Number(after.heartbeatsShed) - Number(before.heartbeatsShed);
  }
  console.error(`[${target} ${fleet}] sustainable ${result.sustainableHbPerS}/s, ${result.cpuUsPerMsg} µs CPU/msg`);

  // 3. Open loop at twice the sustainable rate, alarms mixed in.
  const beforeOver = await stats();
  const over = await all(() => ({
    cmd: 'open',
    seconds: SECONDS,
    rate: (2 * sustainable) / loaders.length,
    alarmRate: 20 / loaders.length,
  }));
  const afterOver = await stats();
  result.overloadOfferedPerS = Math.round(2 * sustainable);
  result.overloadAckedPerS = Math.round(sum(over, 'hbAcked') / SECONDS);
  result.overloadAlarmsSent = sum(over, 'alarmsSent');
  result.overloadAlarmsAcked = sum(over, 'alarmsAcked');
  result.overloadAlarmP50 = round(pct(lat(over), 50), 2);
  result.overloadAlarmP99 = round(pct(lat(over), 99), 2);
  result.overloadUnacked = sum(over, 'unacked');
  result.overloadDisconnected = sum(over, 'disconnected');
  result.serverUp = !serverDied && afterOver !== undefined;
  result.serverRssMb = afterOver?.rssMb ?? null;
  if (target === 'centinela' && beforeOver && afterOver) {
    result.overloadAccepted = Number(afterOver.heartbeatsAccepted) - Number(beforeOver.heartbeatsAccepted);
    result.overloadShed = Number(afterOver.heartbeatsShed) - Number(beforeOver.heartbeatsShed);
    result.overloadAlarmPressesStored = Number(afterOver.alarmPresses) - Number(beforeOver.alarmPresses);
  }
  console.error(`[${target} ${fleet}] overload: ${JSON.stringify(result)}`);

  for (const l of loaders) l.proc.send({ cmd: 'exit' });
  if (!serverDied) {
    // A clean exit writes the CPU profile; a server that does not exit in 10 s is killed.
    const gone = new Promise((r) => server.proc.once('exit', r));
    server.proc.send({ cmd: 'exit' });
    const timer = setTimeout(() => server.proc.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

const results: Record<string, unknown>[] = [];
const started = Date.now();
for (const fleet of FLEETS) for (const target of TARGETS) results.push(await runTarget(target, fleet));
const out = path.join(here, 'results', `ingest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(
  out,
  JSON.stringify({ at: new Date().toISOString(), seconds: SECONDS, cpus: os.cpus().length, load: os.loadavg(), results }, null, 2),
);
console.log(JSON.stringify(results, null, 2));
console.error(`done in ${Math.round((Date.now() - started) / 1000)} s; raw results in ${out}`);
process.exit(0);
