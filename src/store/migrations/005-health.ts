import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.ts';

/** Tables of src/health: liveness, intervals, incidents, gaps, centre outages, jobs, telemetry summaries. */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('health_liveness')
    .addColumn('device_id', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('since', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint')
    .addColumn('window_from', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('health_intervals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .execute();
  await db.schema.createIndex('health_intervals_device').on('health_intervals').columns(['device_id', 'started_at']).execute();
  // At most one open interval per device.
  await db.schema
    .createIndex('health_intervals_one_open')
    .on('health_intervals')
    .column('device_id')
    .unique()
    .where(sql.ref('ended_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('health_incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .addColumn('duration_ms', 'bigint')
    .addColumn('closed_reason', 'text')
    .execute();
  await db.schema.createIndex('health_incidents_device').on('health_incidents').columns(['device_id', 'kind', 'opened_at']).execute();
  await db.schema
    .createIndex('health_incidents_one_open')
    .on('health_incidents')
    .columns(['device_id', 'kind'])
    .unique()
    .where(sql.ref('closed_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('health_protection_gaps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('beneficiary_id', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .execute();
  await db.schema.createIndex('health_gaps_beneficiary').on('health_protection_gaps').columns(['beneficiary_id', 'opened_at']).execute();

  await db.schema
    .createTable('health_centre_alive')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('alive_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('health_centre_outages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('health_maintenance')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('health_maintenance_device').on('health_maintenance').columns(['device_id', 'starts_at']).execute();

  await db.schema
    .createTable('health_job_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('health_job_runs_job').on('health_job_runs').columns(['job', 'started_at']).execute();

  await db.schema
    .createTable('health_heartbeat_days')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('received', 'integer', (c) => c.notNull())
    .addColumn('clock_suspect', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('health_heartbeat_days_pk', ['device_id', 'day'])
    .execute();

  await db.schema
    .createTable('health_samples')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('battery', 'double precision', (c) => c.notNull())
    .addColumn('charging', 'integer', (c) => c.notNull())
    .addColumn('network', 'text', (c) => c.notNull())
    .addColumn('rssi', 'double precision')
    .addColumn('bars', 'integer')
    .execute();
  await db.schema.createIndex('health_samples_device').on('health_samples').columns(['device_id', 'received_at']).execute();

  await db.schema
    .createTable('health_device_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('health_device_events_device').on('health_device_events').columns(['device_id', 'at']).execute();

  await db.schema
    .createTable('health_report_snapshots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('period_from', 'bigint', (c) => c.notNull())
    .addColumn('period_to', 'bigint', (c) => c.notNull())
    .addColumn('group_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
}
