import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * Issue 18 §5: the history of each declared path of a dual-path device, as up/down intervals
 * (like `health_intervals` for a device's liveness), for the path-availability report. An
 * interval open at a crash stays open; the centre's outage is recorded at the next start and left
 * out of every figure (src/store/repositories/health-centre-outages.ts). Paths declared before
 * this migration get their first interval at the next start (src/health/path-supervision.ts).
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('device_path_intervals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .execute();
  await db.schema.createIndex('device_path_intervals_device').on('device_path_intervals').columns(['device_id', 'started_at']).execute();
  // At most one open interval per path of a device.
  await db.schema
    .createIndex('device_path_intervals_one_open')
    .on('device_path_intervals')
    .columns(['device_id', 'path'])
    .unique()
    .where(sql.ref('ended_at'), 'is', null)
    .execute();
}
