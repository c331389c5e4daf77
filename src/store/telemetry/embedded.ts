import type { Kysely } from 'kysely';
import type { Logger } from '../../platform/logger.ts';
import type { Store } from '../database.ts';
import type { Database } from '../schema.ts';
import type { TelemetryTable } from '../schema-ingest.ts';
import { Batcher } from './batcher.ts';
import type { TelemetryPoint, TelemetrySink } from './types.ts';

/**
 * Rows per INSERT (18 parameters each: well under SQLite's 32,766 and PostgreSQL's 65,535).
 * Each flush is one commit, and one fsync, that an alarm's transaction may queue behind: fewer,
 * larger flushes keep the alarm path's wait short.
 */
const MAX_BATCH = 1_000;

const toRow = (p: TelemetryPoint): TelemetryTable => ({
  device_id: p.deviceId,
  at: p.at,
  received_at: p.receivedAt,
  kind: p.kind,
  clock_suspect: p.clockSuspect ? 1 : 0,
  seq: p.seq ?? null,
  battery: p.battery ?? null,
  charging: p.charging === undefined ? null : p.charging ? 1 : 0,
  network: p.network ?? null,
  rssi: p.rssi ?? null,
  bars: p.bars ?? null,
  lat: p.loc?.lat ?? null,
  lon: p.loc?.lon ?? null,
  acc: p.loc?.acc ?? null,
  fw: p.fw ?? null,
  event: p.event ?? null,
  detail: p.detail === undefined ? null : JSON.stringify(p.detail),
});

const COLUMNS = Object.keys(
  toRow({ deviceId: '', at: 0, receivedAt: 0, kind: 'heartbeat', clockSuspect: false }),
) as (keyof TelemetryTable)[];

/**
 * On SQLite, one prepared statement run per row inside one transaction: about ten times cheaper
 * than building a 1,000-row INSERT, and the whole batch is a single commit. It waits while a
 * Kysely transaction is open on the same connection, so it never joins (or is rolled back with)
 * an alarm's transaction.
 */
function sqliteInsert(handle: NonNullable<Store['sqlite']>): (rows: TelemetryTable[]) => Promise<void> {
  const statement = handle.prepare(`insert into telemetry (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`);
  const insertAll = handle.transaction((rows: TelemetryTable[]) => {
    for (const row of rows) statement.run(COLUMNS.map((c) => row[c]));
  });
  return async (rows) => {
    while (handle.inTransaction) await new Promise((resolve) => setTimeout(resolve, 2));
    insertAll(rows);
  };
}

export interface TelemetryQuery {
  deviceId: string;
  from: number;
  to: number;
  limit: number;
}

/**
 * Telemetry in Centinela's own database (SQLite or PostgreSQL), written in batches so a fleet's
 * heartbeats cost one INSERT per few hundred, and an alarm's transaction never queues behind
 * thousands of single-row writes.
 */
export class EmbeddedTelemetryStore implements TelemetrySink {
  readonly name = 'embedded';
  private readonly batcher: Batcher<TelemetryTable>;
  private readonly db: Kysely<Database>;

  constructor(store: Store, logger: Logger, options: { capacity?: number; intervalMs?: number; onDropped?: (n: number) => void } = {}) {
    this.db = store.db;
    const insertSqlite = store.sqlite ? sqliteInsert(store.sqlite) : undefined;
    this.batcher = new Batcher(
      { maxBatch: MAX_BATCH, capacity: options.capacity ?? 50_000, intervalMs: options.intervalMs ?? 1_000 },
      async (rows) => {
        if (insertSqlite) await insertSqlite(rows);
        else await this.db.insertInto('telemetry').values(rows).execute();
      },
      (err, n) => {
        options.onDropped?.(n);
        logger.error({ err, points: n }, 'telemetry batch could not be written');
      },
    );
  }

  write(point: TelemetryPoint): boolean {
    return this.batcher.add(toRow(point));
  }

  pending(): number {
    return this.batcher.pending();
  }

  flush(): Promise<void> {
    return this.batcher.flush();
  }

  close(): Promise<void> {
    return this.batcher.close();
  }

  async query(q: TelemetryQuery): Promise<TelemetryTable[]> {
    return this.db
      .selectFrom('telemetry')
      .selectAll()
      .where('device_id', '=', q.deviceId)
      .where('at', '>=', q.from)
      .where('at', '<=', q.to)
      .orderBy('at')
      .limit(q.limit)
      .execute();
  }

  /** Retention: deletes points received before `olderThan`; returns how many went. */
  async prune(olderThan: number): Promise<number> {
    const res = await this.db.deleteFrom('telemetry').where('received_at', '<', olderThan).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
