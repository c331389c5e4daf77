/**
 * What a press would wait for if the alarm journal were its durable record (issue 11, at-rest
 * PUBACK; not a test): the product's journal (src/store/alarm-journal.ts) appending one press at a
 * time — a line of JSON, a write and an fdatasync on libuv's thread pool, off the event loop —
 * beside the one-row SQLite commit floor on the same disk (bench/commit-floor.ts). Also the whole
 * cycle a journal-first intake would run per press: append, then mark it replayed once the database
 * holds it (a second record and sync, and an emptied file).
 *
 *   node --import tsx bench/journal-append.ts [--presses 500]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { AlarmJournal, type AlarmPress } from '../src/store/index.ts';
import { commitFloor, quantile } from './commit-floor.ts';

const { values } = parseArgs({ options: { presses: { type: 'string', default: '500' } } });
const n = Number(values.presses);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-journal-bench-'));
const journal = AlarmJournal.open(dir, pino({ level: 'silent' }));

const press = (i: number): AlarmPress => ({
  deviceId: `pb-${String(i % 2000).padStart(6, '0')}`,
  deviceAlarmId: `bench-${i}`,
  kind: 'panic',
  test: false,
  raisedAt: Date.now(),
  receivedAt: Date.now(),
  clockSuspect: false,
  beneficiaryId: `ben-${i % 2000}`,
  loc: { lat: 17.5514, lon: -99.5006 },
});

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const append: number[] = [];
const cycle: number[] = [];
for (let i = 0; i < n; i++) {
  const p = press(i);
  const t0 = process.hrtime.bigint();
  await journal.append(p);
  append.push(ms(t0));
  await journal.markReplayed([p]);
  cycle.push(ms(t0));
}
journal.close();
const floor = commitFloor(dir, n);
fs.rmSync(dir, { recursive: true, force: true });

const q = (xs: number[]) => `${(quantile(xs, 0.5) as number).toFixed(2)} / ${(quantile(xs, 0.99) as number).toFixed(2)} ms`;
console.log(`journal append (p50 / p99):              ${q(append)}`);
console.log(`append + marked replayed (p50 / p99):    ${q(cycle)}`);
console.log(`one-row SQLite commit floor (p50 / p99): ${floor.p50.toFixed(2)} / ${floor.p99.toFixed(2)} ms`);
console.log(
  `load average: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
