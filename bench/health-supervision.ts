/**
 * Supervision of a large fleet: the whole health part (SQLite, real clock) fed heartbeats on
 * the event bus as ingest emits them, at the catalogue's rate (one a minute per button).
 * Measures start-up, memory, CPU per second of wall time in steady state, and the delay between
 * a device's offline deadline (last heartbeat + window) and the 'device.silent' event.
 *
 *   node --expose-gc --import tsx bench/health-supervision.ts [devices=100000] [silent=1000] [steadyS=60]
 *
 * Every device uses the panic-button window (heartbeat 60 s, offline after 180 s), so the run
 * lasts about steadyS + 200 s.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EventBus } from '../src/events/index.ts';
import { startHealth } from '../src/health/index.ts';
import { createLogger, createMetrics, systemClock } from '../src/platform/index.ts';
import { createRepositories } from '../src/store/index.ts';
import { benchStore, insertFleet } from './health-fleet-data.ts';

const DEVICES = Number(process.argv[2] ?? 100_000);
const SILENT = Number(process.argv[3] ?? 1000);
const STEADY_S = Number(process.argv[4] ?? 60);
const INTERVAL_MS = 60_000;
const OFFLINE_AFTER_MS = 180_000;

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};

const { store, cleanup } = await benchStore();
const t0 = performance.now();
// Every device a panic button, so every one has the 60 s / 180 s window.
insertFleet(store, DEVICES, { installedAt: () => Date.now() - 30 * 86_400_000, model: () => 'panic-button' });
console.log(`inserted ${DEVICES} devices in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

gc?.();
const heapBefore = process.memoryUsage();
const logger = createLogger({ level: 'warn' });
const events = new EventBus(logger);
const started = performance.now();
const health = await startHealth({
  config: { watchdog: undefined, jobs: false },
  logger,
  clock: systemClock,
  metrics: createMetrics(),
  repos: createRepositories(store, systemClock),
  events,
});
await health.api.flush();
console.log(`health started and wrote ${DEVICES} never_seen intervals in ${((performance.now() - started) / 1000).toFixed(1)} s`);

// Heartbeats: each device beats once a minute at its own phase, sent in 10 ms batches.
const lastBeat = new Float64Array(DEVICES);
const silentFrom = new Set<number>();
let silentPhase = false;
let seq = 0;
// Catches up by elapsed time, so a late timer does not make devices miss their beats.
const genStart = Date.now();
let sent = 0;
const beat = setInterval(() => {
  const now = Date.now();
  const target = Math.floor(((now - genStart) / INTERVAL_MS) * DEVICES);
  for (; sent < target; sent++) {
    const i = sent % DEVICES;
    if (silentPhase && silentFrom.has(i)) continue;
    lastBeat[i] = now;
    events.emit('heartbeat.received', {
      deviceId: `d${i}`,
      at: now,
      receivedAt: now,
      clockSuspect: false,
      heartbeat: { ts: now, seq: ++seq, battery: 80, signal: { network: 'lte', rssi: -90 } },
    });
  }
}, 10);

const delays: number[] = [];
let storm = 0;
events.on('device.silent', (e) => {
  const i = Number(e.deviceId.slice(1));
  if (!silentFrom.has(i)) {
    storm += 1;
    return;
  }
  delays.push(Date.now() - ((lastBeat[i] ?? 0) + OFFLINE_AFTER_MS));
});

// Warm-up: one full interval so every device is online.
await new Promise((r) => setTimeout(r, INTERVAL_MS + 2000));
gc?.();
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
await new Promise((r) => setTimeout(r, STEADY_S * 1000));
const cpu = process.cpuUsage(cpu0);
const wall = performance.now() - wall0;
loop.disable();
gc?.();
const mem = process.memoryUsage();
const online = health.api.fleet({ state: 'online' }).length;
console.log(`steady state over ${(wall / 1000).toFixed(1)} s with ${DEVICES} devices online (${online} online, ${seq} heartbeats so far):`);
console.log(
  `  CPU: ${(((cpu.user + cpu.system) / 1000 / wall) * 1000).toFixed(0)} ms per second of wall time (${(((cpu.user + cpu.system) / 1000 / wall) * 100).toFixed(1)} % of one core), bench's own heartbeat generation included`,
);
console.log(
  `  memory after GC: rss ${mb(mem.rss)}, heap used ${mb(mem.heapUsed)} (heap grew ${mb(mem.heapUsed - heapBefore.heapUsed)} for the fleet)`,
);
console.log(
  `  event-loop delay: p50 ${(loop.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`,
);

// Silence SILENT devices (spread over the fleet) and wait for their deadlines.
for (let k = 0; k < SILENT; k++) silentFrom.add(Math.floor((k * DEVICES) / SILENT));
silentPhase = true;
const deadline = Date.now() + OFFLINE_AFTER_MS + INTERVAL_MS + 15_000;
while (delays.length < SILENT && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));
clearInterval(beat);
console.log(`offline detection for ${delays.length} of ${SILENT} silenced devices (delay after last heartbeat + 180 s):`);
console.log(
  `  p50 ${pct(delays, 50)} ms, p90 ${pct(delays, 90)} ms, p99 ${pct(delays, 99)} ms, max ${Math.max(...delays)} ms; devices wrongly declared offline: ${storm}`,
);
await health.stop();
await cleanup();
