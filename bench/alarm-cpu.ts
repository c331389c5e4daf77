/**
 * CPU per alarm, whole product (issue 11 §6 "alarms at rest"; not a test). Centinela runs in this
 * process exactly as `centinela serve` wires it (embedded: SQLite WAL with synchronous=FULL,
 * ingest, alerts with the console outbox, health, API), with production logging to a file; the
 * devices are hand-rolled MQTT clients in a child process (bench/storm-worker.ts), so their CPU is
 * not counted. Alarms are paced, one device each; the process's CPU (user + system) from the first
 * PUBLISH until every alarm's paging has settled (its 0 s steps sent) is divided by the alarms, net
 * of the idle rate measured just before.
 *
 *   node --import tsx bench/alarm-cpu.ts [--devices 200] [--alarms 200] [--rate 20] [--profile FILE] [--count-sql]
 *
 * PUBACK is also timed inside this process, from the alarm's PUBLISH read off its socket to its PUBACK
 * written to it (`serverPubackP50/P99`): the part of the devices' figure that is Centinela's, apart
 * from the loopback and the devices' own process.
 *
 * `--profile FILE` writes a V8 CPU profile of the alarm window (open it in Chrome DevTools) and
 * prints the functions with the most self time. PUBACK at rest is printed beside two floors
 * measured first on the same disk (bench/commit-floor.ts): a one-row commit, and a press's own. `--count-sql` prints each SQLite statement text
 * with how many times per alarm it ran and its time (wall, so a commit's fsync shows there).
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../src/config/index.ts';
import { startCentinela } from '../src/main.ts';
import { createLogger } from '../src/platform/index.ts';
import { commitFloor, pressCommitFloor, quantile } from './commit-floor.ts';
import { registerFleet } from './load-register.ts';
import type { StormCommand, StormReport } from './storm-worker.ts';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '200' },
    alarms: { type: 'string', default: '200' },
    rate: { type: 'string', default: '20' },
    profile: { type: 'string' },
    'count-sql': { type: 'boolean', default: false },
  },
});
const devices = Number(values.devices);
const alarms = Math.min(Number(values.alarms), devices);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const sqlCounts = values['count-sql'] ? countStatements() : undefined;
const serverPuback = timeServerPubacks();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-alarm-cpu-'));
const fleet = await registerFleet(dir, devices);
// The floors PUBACK at rest is read against (bench/commit-floor.ts), on this disk, before the load.
const floor = commitFloor(dir);
const pressFloor = pressCommitFloor(
  path.join(dir, 'centinela.db'),
  fleet.devices.map((d) => d.id),
);
const logFile = fs.createWriteStream(path.join(dir, 'centinela.log'));
const config = loadConfig({
  ...process.env,
  CENTINELA_DATA_DIR: dir,
  CENTINELA_HTTP_PORT: '0',
  CENTINELA_MQTT_PORT: '0',
  CENTINELA_HTTP_HOST: '127.0.0.1',
  CENTINELA_MQTT_HOST: '127.0.0.1',
});
const centinela = await startCentinela(config, { logger: createLogger({ level: config.logLevel, destination: logFile }) });
const port = centinela.parts.ingest.mqttPort as number;

const worker = fork(fileURLToPath(new URL('./storm-worker.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx'],
  serialization: 'advanced',
});
const waitFor = <T extends StormReport['type']>(type: T, pred: (r: Extract<StormReport, { type: T }>) => boolean = () => true) =>
  new Promise<Extract<StormReport, { type: T }>>((resolve) => {
    const f = (r: StormReport) => {
      if (r.type === type && pred(r as Extract<StormReport, { type: T }>)) {
        worker.off('message', f);
        resolve(r as Extract<StormReport, { type: T }>);
      }
    };
    worker.on('message', f);
  });
const send = (c: StormCommand) => worker.send(c);
await waitFor('ready');
const allIn = waitFor('count', (r) => r.connected >= devices);
send({
  cmd: 'start',
  port,
  devices: fleet.devices.map((d) => ({ id: d.id, secret: d.secret as string })),
  reconnectMs: 1000,
  jitterMs: 1000,
  connectTimeoutMs: 30_000,
});
await allIn;
await sleep(3000);

// Idle rate, to subtract.
const i0 = { cpu: cpuMs(), at: performance.now() };
await sleep(3000);
const idlePerMs = (cpuMs() - i0.cpu) / (performance.now() - i0.at);

const session = values.profile ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const t0 = threadCpu();
sqlCounts?.clear();
serverPuback.length = 0;
const c0 = { cpu: cpuMs(), at: performance.now() };
send({ cmd: 'alarms', count: alarms, ratePerS: Number(values.rate), tag: 'cpu' });
await waitFor('alarms-sent');
// Settled: every alarm acknowledged, and no more work pending for a moment (the pages sent).
const report = (async () => {
  for (;;) {
    const r = waitFor('report');
    send({ cmd: 'report' });
    const got = await r;
    if (got.alarms.every((a) => a.ackedAt !== undefined)) return got.alarms;
    await sleep(50);
  }
})();
const acked = await report;
await settle();
const c1 = { cpu: cpuMs(), at: performance.now() };
const t1 = threadCpu();
const sqlSnap = new Map(sqlCounts ?? []);
const cpuPerAlarm = (c1.cpu - c0.cpu - idlePerMs * (c1.at - c0.at)) / alarms;
if (session) {
  const { profile } = await session.post('Profiler.stop');
  fs.writeFileSync(values.profile as string, JSON.stringify(profile));
  printTop(profile);
}
const ms = (xs: number[], p: number) => Number(quantile(xs, p)?.toFixed(2));
const lat = acked.map((a) => (a.ackedAt as number) - a.sentAt);
console.log(
  JSON.stringify({
    devices,
    alarms,
    ratePerS: Number(values.rate),
    cpuMsPerAlarm: Number(cpuPerAlarm.toFixed(3)),
    grossCpuMsPerAlarm: Number(((c1.cpu - c0.cpu) / alarms).toFixed(3)),
    windowS: Number(((c1.at - c0.at) / 1000).toFixed(1)),
    idleCpuPct: Number((idlePerMs * 100).toFixed(2)),
    pubackP50: ms(lat, 0.5),
    pubackP99: ms(lat, 0.99),
    serverPubackP50: ms(serverPuback, 0.5),
    serverPubackP99: ms(serverPuback, 0.99),
    floorP50P99: [floor.p50, floor.p99].map((x) => Number(x.toFixed(2))),
    pressCommitP50P99: [pressFloor.p50, pressFloor.p99].map((x) => Number(x.toFixed(2))),
    load: os.loadavg().map((l) => l.toFixed(2)),
  }),
);
for (const [name, ms] of t1) console.log(`thread ${name}: ${((ms - (t0.get(name) ?? 0)) / alarms).toFixed(3)} ms per alarm`);
for (const [k, v] of [...sqlSnap.entries()].sort((a, b) => b[1].ms - a[1].ms))
  console.log(`${(v.n / alarms).toFixed(2).padStart(6)}/alarm ${(v.ms / alarms).toFixed(3).padStart(7)} ms  ${k}`);
send({ cmd: 'exit' });
await centinela.stop();
fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);

/**
 * Waits until the process has been near its idle rate for half a second (the alarms' paging done):
 * within 5 % of a core, which the profiler's own thread stays under. Gives up after a minute.
 */
async function settle(): Promise<void> {
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    const a = cpuMs();
    await sleep(500);
    if (cpuMs() - a < 500 * idlePerMs + 25) return;
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
/**
 * Prints where the alarm window's CPU went: self time by package (native SQLite calls by name) and
 * inclusive time of Centinela's own functions. Wall-clock samples: a commit's fsync shows under
 * `run` though it is not CPU, so `run` is left out of the shares.
 */
function printTop(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const spent = new Map<number, number>();
  for (const [i, id] of (profile.samples ?? []).entries()) spent.set(id, (spent.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0));
  const skip = new Set(['(idle)', 'run', '(program)']);
  const where = (url: string) =>
    /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (/\/src\/([^/]+(\/[^/]+)?)/.exec(url)?.[0].slice(1) || url);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (const [id, us] of spent) {
    const node = byId.get(id) as ProfileNode;
    if (skip.has(node.callFrame.functionName)) continue;
    total += us;
    const key = node.callFrame.url ? where(node.callFrame.url) : node.callFrame.functionName;
    self.set(key, (self.get(key) ?? 0) + us);
    const seen = new Set<string>();
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      const f = (byId.get(x) as ProfileNode).callFrame;
      if (!f.url.includes('/src/')) continue;
      const k = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/src\//, 'src/')}:${f.lineNumber + 1}`;
      if (!seen.has(k)) inclusive.set(k, (inclusive.get(k) ?? 0) + us);
      seen.add(k);
    }
  }
  const show = (title: string, m: Map<string, number>, n: number) => {
    console.log(title);
    for (const [k, us] of [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n))
      console.log(`${(us / 1000 / alarms).toFixed(3).padStart(7)} ms/alarm ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`);
  };
  console.log(`busy (profiled, without run/idle): ${(total / 1000 / alarms).toFixed(3)} ms per alarm`);
  show('self time by package:', self, 25);
  show('inclusive time, Centinela functions:', inclusive, 40);
}

/** Wraps better-sqlite3's statements to count runs per statement text (before Centinela opens its store). */
function countStatements(): Map<string, { n: number; ms: number }> {
  const counts = new Map<string, { n: number; ms: number }>();
  const note = (key: string, t: number) => {
    const c = counts.get(key) ?? { n: 0, ms: 0 };
    c.n += 1;
    c.ms += performance.now() - t;
    counts.set(key, c);
  };
  const proto = SQLite.prototype as unknown as { prepare(this: SQLite.Database, source: string): SQLite.Statement };
  const prepare = proto.prepare;
  proto.prepare = function (source: string) {
    const stmt = prepare.call(this, source) as unknown as Record<string, (...args: unknown[]) => unknown>;
    const key = source.replace(/\s+/g, ' ').slice(0, 110);
    for (const m of ['run', 'all', 'get']) {
      const original = stmt[m] as (...args: unknown[]) => unknown;
      stmt[m] = function (this: unknown, ...args: unknown[]) {
        const t = performance.now();
        try {
          return original.apply(this, args);
        } finally {
          note(key, t);
        }
      };
    }
    return stmt as unknown as SQLite.Statement;
  };
  // Transactions of better-sqlite3 (the prepared paths) begin and commit without `prepare`: counted here.
  const txProto = SQLite.prototype as unknown as { transaction(this: SQLite.Database, fn: (...a: unknown[]) => unknown): unknown };
  const transaction = txProto.transaction;
  txProto.transaction = function (fn: (...a: unknown[]) => unknown) {
    const wrapped = transaction.call(this, fn) as (...a: unknown[]) => unknown;
    return (...args: unknown[]) => {
      const t = performance.now();
      try {
        return wrapped(...args);
      } finally {
        note('(better-sqlite3 transaction: begin … commit, statements inside counted apart)', t);
      }
    };
  };
  return counts;
}

/**
 * Times each alarm's PUBACK inside this process: from the socket's read of a PUBLISH to the first
 * PUBACK written back on that socket (before Centinela starts, so every socket it accepts is
 * seen). Each device sends one alarm and waits for its PUBACK, so the two pair up per socket.
 */
function timeServerPubacks(): number[] {
  const PUBLISH = 3;
  const PUBACK = 0x40;
  const times: number[] = [];
  const readAt = new WeakMap<object, number>();
  const proto = net.Socket.prototype as unknown as {
    emit(this: net.Socket, event: string | symbol, ...args: unknown[]): boolean;
    write(this: net.Socket, chunk: unknown, ...rest: unknown[]): boolean;
  };
  const { emit, write } = proto;
  proto.emit = function (event, ...args) {
    const chunk = args[0];
    if (event === 'data' && Buffer.isBuffer(chunk) && (chunk[0] as number) >> 4 === PUBLISH) readAt.set(this, performance.now());
    return emit.call(this, event, ...args);
  };
  proto.write = function (chunk, ...rest) {
    if (Buffer.isBuffer(chunk) && chunk[0] === PUBACK) {
      const at = readAt.get(this);
      if (at !== undefined) {
        times.push(performance.now() - at);
        readAt.delete(this);
      }
    }
    return write.call(this, chunk, ...rest);
  };
  return times;
}

/** CPU per thread name and mode (/proc/self/task), in ms: shows whether the CPU is on the main thread. */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  const tickMs = 10; // USER_HZ = 100
  const add = (k: string, v: number) => out.set(k, (out.get(k) ?? 0) + v);
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      add(`${name} user`, Number(f[11]) * tickMs);
      add(`${name} system`, Number(f[12]) * tickMs);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}
