/**
 * One-year reliability and cost reports over a large fleet on SQLite: time to answer, and the
 * longest the event loop was blocked meanwhile (what an alarm arriving mid-report would wait).
 *
 *   node --import tsx bench/health-report.ts [devices=10000]
 *
 * Then the suitability report over the last 90 days of that year (issue 19).
 *
 * The year 2025 is generated straight into the tables: alternating online/offline intervals
 * (about 50 a device), a heartbeat count per device and day, two alarms a device, maintenance
 * windows, protection gaps and two centre outages.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildReport, buildSuitability, loadSuitabilityThresholds } from '../src/health/index.ts';
import { systemClock } from '../src/platform/index.ts';
import { createRepositories } from '../src/store/index.ts';
import { benchStore, insertFleet } from './health-fleet-data.ts';

const DEVICES = Number(process.argv[2] ?? 10_000);
const DAY = 86_400_000;
const FROM = Date.UTC(2025, 0, 1);
const TO = Date.UTC(2026, 0, 1);

let seed = 42;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

const { store, cleanup } = await benchStore();
const repos = createRepositories(store, systemClock);
const db = store.sqlite;
if (!db) throw new Error('SQLite only');
const t0 = performance.now();
insertFleet(store, DEVICES, {
  installedAt: (i) => (i % 10 === 0 ? FROM + 180 * DAY : FROM - 30 * DAY),
  retiredAt: (i) => (i % 20 === 3 ? FROM + 250 * DAY : null),
});
const interval = db.prepare('insert into health_intervals (id, device_id, state, started_at, ended_at) values (?, ?, ?, ?, ?)');
const day = db.prepare('insert into health_heartbeat_days (device_id, day, received, clock_suspect) values (?, ?, ?, 0)');
const alarm = db.prepare(
  `insert into alarms (id, device_id, beneficiary_id, kind, severity, state, test, raised_at, received_at, clock_suspect, press_count, last_press_at, acknowledged_at, dispatched_at, on_scene_at, resolved_at, outcome, updated_at)
   values (?, ?, null, ?, 'high', 'resolved', ?, ?, ?, 0, 1, ?, ?, ?, ?, ?, ?, ?)`,
);
const maintenance = db.prepare(
  "insert into health_maintenance (id, device_id, starts_at, ends_at, reason, created_by, created_at) values (?, ?, ?, ?, null, 'bench', 0)",
);
const gap = db.prepare('insert into health_protection_gaps (id, beneficiary_id, opened_at, closed_at) values (?, ?, ?, ?)');
let rows = 0;
db.transaction(() => {
  for (let i = 0; i < DEVICES; i++) {
    const id = `d${i}`;
    let t = FROM;
    let online = true;
    let n = 0;
    while (t < TO) {
      const len = online ? (5 + rand() * 20) * DAY : (1 / 24 + rand() * 3) * DAY;
      const end = Math.min(t + len, TO);
      interval.run(`i${i}-${n++}`, id, online ? 'online' : 'offline', t, end >= TO ? null : end);
      t = end;
      online = !online;
      rows += 1;
    }
    for (let d = FROM; d < TO; d += DAY) {
      day.run(id, d, Math.floor(1300 + rand() * 140));
      rows += 1;
    }
    for (let a = 0; a < 2; a++) {
      const at = FROM + rand() * 360 * DAY;
      const test = a === 1 && i % 2 === 0 ? 1 : 0;
      const ack = at + (5 + rand() * 80) * 1000;
      alarm.run(
        `a${i}-${a}`,
        id,
        test ? 'test' : 'panic',
        test,
        at,
        at,
        at,
        ack,
        test ? null : ack + 60_000,
        test ? null : ack + rand() * 3_600_000,
        ack + 4_000_000,
        test ? 'test' : rand() < 0.3 ? 'false_alarm' : 'genuine',
        at,
      );
    }
    if (i % 20 === 7) maintenance.run(`m${i}`, id, FROM + 100 * DAY, FROM + 103 * DAY);
    if (i % 50 === 0) gap.run(`g${i}`, `b${i}`, FROM + 40 * DAY, FROM + 41 * DAY);
  }
})();
db.prepare('insert into health_centre_outages (id, started_at, ended_at) values (?, ?, ?)').run(
  'o1',
  FROM + 60 * DAY,
  FROM + 60 * DAY + 2 * 3_600_000,
);
db.prepare('insert into health_centre_outages (id, started_at, ended_at) values (?, ?, ?)').run(
  'o2',
  FROM + 200 * DAY,
  FROM + 200 * DAY + 7_200_000,
);
console.log(`generated ${DEVICES} devices, ${rows} interval and day rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

for (const [kind, groupBy] of [
  ['reliability', 'kind'],
  ['reliability', 'month'],
  ['cost', 'state'],
  ['cost', 'model'],
] as const) {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  const report =
    kind === 'reliability'
      ? await buildReport(
          repos,
          'reliability',
          { from: FROM, to: TO, groupBy },
          { asOf: TO + DAY, timeZone: 'UTC', suppressSmallGroups: true },
        )
      : await buildReport(repos, 'cost', { from: FROM, to: TO, groupBy }, { asOf: TO + DAY, timeZone: 'UTC', suppressSmallGroups: true });
  const ms = performance.now() - started;
  loop.disable();
  console.log(
    `${kind} by ${groupBy}: ${report.rows.length} groups in ${(ms / 1000).toFixed(2)} s; longest event-loop stall ${(loop.max / 1e6).toFixed(0)} ms (p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms)`,
  );
  if (groupBy === 'kind') console.log(`  total: ${JSON.stringify(report.total)}`);
}

// Suitability (issue 19) holds the period's histories of the whole fleet at once (places are
// decided over everyone): time, stall and heap growth over the last 90 days of the year.
{
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const heapBefore = process.memoryUsage().heapUsed;
  loop.enable();
  const started = performance.now();
  const thresholds = loadSuitabilityThresholds();
  const report = await buildSuitability(repos, { from: TO - 90 * DAY, to: TO, asOf: TO + DAY, timeZone: 'UTC', thresholds }, true);
  const ms = performance.now() - started;
  loop.disable();
  console.log(
    `suitability, last 90 days: ${report.rows.length} rows in ${(ms / 1000).toFixed(2)} s; longest event-loop stall ${(loop.max / 1e6).toFixed(0)} ms; heap +${((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20).toFixed(0)} MiB`,
  );
}
await cleanup();
