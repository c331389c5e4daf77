import type SQLite from 'better-sqlite3';
import {
  type HeartbeatCount,
  incidentClosedReason,
  incidentOfState,
  type LastSeen,
  type LatestHeartbeat,
  type TransitionRecord,
} from '../../domain/health.ts';
import { newId } from '../ids.ts';

/**
 * The SQLite form of the batched health writes: prepared statements inside one better-sqlite3
 * transaction, about ten times cheaper per row than going through Kysely. Same tables, same
 * rows as the portable path (PostgreSQL uses that one); the health tests run on both engines.
 */
export class SqliteHealthBatch {
  private readonly closeInterval: SQLite.Statement;
  private readonly openInterval: SQLite.Statement;
  private readonly upsertLiveness: SQLite.Statement;
  private readonly openIncident: SQLite.Statement;
  private readonly closeIncident: SQLite.Statement;
  private readonly openGap: SQLite.Statement;
  private readonly closeGap: SQLite.Statement;
  private readonly addCount: SQLite.Statement;
  private readonly lastSeen: SQLite.Statement;
  private readonly sample: SQLite.Statement;

  constructor(private readonly db: SQLite.Database) {
    this.closeInterval = db.prepare('update health_intervals set ended_at = ? where device_id = ? and ended_at is null');
    this.openInterval = db.prepare('insert into health_intervals (id, device_id, state, started_at, ended_at) values (?, ?, ?, ?, null)');
    this.upsertLiveness = db.prepare(
      `insert into health_liveness (device_id, state, since, last_seen_at, window_from, updated_at) values (?, ?, ?, ?, ?, ?)
       on conflict (device_id) do update set state = excluded.state, since = excluded.since, last_seen_at = excluded.last_seen_at,
       window_from = excluded.window_from, updated_at = excluded.updated_at`,
    );
    this.openIncident = db.prepare(
      `insert into health_incidents (id, device_id, kind, opened_at, closed_at, duration_ms, closed_reason) values (?, ?, ?, ?, null, null, null)
       on conflict do nothing`,
    );
    this.closeIncident = db.prepare(
      `update health_incidents set closed_at = ?, duration_ms = ? - opened_at, closed_reason = ?
       where device_id = ? and kind = ? and closed_at is null`,
    );
    this.openGap = db.prepare('insert into health_protection_gaps (id, beneficiary_id, opened_at, closed_at) values (?, ?, ?, null)');
    this.closeGap = db.prepare('update health_protection_gaps set closed_at = ? where beneficiary_id = ? and closed_at is null');
    this.addCount = db.prepare(
      `insert into health_heartbeat_days (device_id, day, received, clock_suspect) values (?, ?, ?, ?)
       on conflict (device_id, day) do update set received = received + excluded.received, clock_suspect = clock_suspect + excluded.clock_suspect`,
    );
    this.lastSeen = db.prepare('update health_liveness set last_seen_at = ?, window_from = ?, updated_at = ? where device_id = ?');
    this.sample = db.prepare(
      'insert into health_samples (device_id, at, received_at, battery, charging, network, rssi, bars) values (?, ?, ?, ?, ?, ?, ?, ?)',
    );
  }

  samples(rows: (LatestHeartbeat & { deviceId: string })[]): void {
    this.db.transaction(() => {
      for (const s of rows) this.sample.run(s.deviceId, s.at, s.receivedAt, s.battery, s.charging ? 1 : 0, s.network, s.rssi, s.bars);
    })();
  }

  transitions(records: TransitionRecord[]): void {
    this.db.transaction(() => {
      for (const r of records) {
        this.closeInterval.run(r.at, r.deviceId);
        this.openInterval.run(newId('liv'), r.deviceId, r.to, r.at);
        this.upsertLiveness.run(r.deviceId, r.to, r.state.since, r.state.lastSeenAt, r.state.windowFrom, r.at);
        const opens = incidentOfState(r.to);
        const closes = incidentOfState(r.from);
        if (opens) this.openIncident.run(newId('inc'), r.deviceId, opens, r.at);
        if (closes) this.closeIncident.run(r.at, r.at, incidentClosedReason(r.to), r.deviceId, closes);
        if (r.gap?.change === 'opened') this.openGap.run(newId('gap'), r.gap.beneficiaryId, r.at);
        if (r.gap?.change === 'closed') this.closeGap.run(r.at, r.gap.beneficiaryId);
      }
    })();
  }

  counts(rows: HeartbeatCount[]): void {
    this.db.transaction(() => {
      for (const c of rows) this.addCount.run(c.deviceId, c.day, c.received, c.clockSuspect);
    })();
  }

  lastSeenTimes(rows: LastSeen[]): void {
    this.db.transaction(() => {
      for (const r of rows) this.lastSeen.run(r.lastSeenAt, r.windowFrom, r.now, r.deviceId);
    })();
  }
}

const batches = new WeakMap<SQLite.Database, SqliteHealthBatch>();

/** One set of prepared statements per SQLite handle. */
export function sqliteBatch(db: SQLite.Database | undefined): SqliteHealthBatch | undefined {
  if (!db) return undefined;
  let b = batches.get(db);
  if (!b) {
    b = new SqliteHealthBatch(db);
    batches.set(db, b);
  }
  return b;
}
