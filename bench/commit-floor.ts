/**
 * Durable-commit floors, measured on the disk the servers use before they start (issue 11 §6:
 * PUBACK at rest against "the durable-commit floor measured in the same run").
 *
 * `commitFloor`: one SQLite commit per row, WAL + synchronous=FULL, the floor.
 *
 * `pressCommitFloor`: the durable commit of an alarm press itself: the product's own
 * press writer (src/store/repositories/alarm-intake-sqlite.ts) storing one press per commit, WAL +
 * synchronous=FULL with SQLite's default checkpoints, into a copy of the fleet's database on the
 * disk the server uses. A press touches the `alarms` table and its five indexes and
 * `alarm_presses` with its two (about ten 4 KiB pages), where the one-row floor writes one page;
 * every thousand pages a commit also checkpoints the log into the database file. So this is what
 * the PUBACK of an alarm waits for at the least, with nothing else running.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { SqlitePressWriter } from '../src/store/repositories/alarm-intake-sqlite.ts';

export function quantile(xs: number[], q: number): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}

/** One SQLite commit per row, WAL + synchronous=FULL, in `dir`. */
export function commitFloor(dir: string, n = 200): { p50: number; p99: number } {
  const db = new SQLite(path.join(dir, 'floor.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('create table t (id integer primary key, v text)');
  const ins = db.prepare('insert into t (v) values (?)');
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    ins.run(`row ${i}`);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  db.close();
  return { p50: quantile(times, 0.5) as number, p99: quantile(times, 0.99) as number };
}

/** `fleetDb`: the registered fleet's database, closed. Its copy is deleted afterwards. */
export function pressCommitFloor(fleetDb: string, deviceIds: readonly string[], n = 500): { p50: number; p99: number; n: number } {
  const file = path.join(path.dirname(fleetDb), 'press-floor.db');
  fs.copyFileSync(fleetDb, file);
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const writer = new SqlitePressWriter(db);
  const times: number[] = [];
  const count = Math.min(n, deviceIds.length);
  try {
    for (let i = 0; i < count; i++) {
      const now = Date.now();
      const deviceId = deviceIds[i] as string;
      const t0 = process.hrtime.bigint();
      writer.tryRecordMany([
        {
          deviceId,
          deviceAlarmId: `floor-${i}`,
          kind: 'panic',
          test: false,
          raisedAt: now,
          receivedAt: now,
          clockSuspect: false,
          beneficiaryId: `ben-${deviceId}`,
        },
      ]);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  } finally {
    db.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  }
  return { p50: quantile(times, 0.5) as number, p99: quantile(times, 0.99) as number, n: count };
}
