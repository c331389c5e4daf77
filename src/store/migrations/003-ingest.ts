import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * Tables of src/ingest: telemetry (embedded time series), unreadable messages per device,
 * and gateway accounts with the devices they may publish for.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('telemetry')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('clock_suspect', 'integer', (c) => c.notNull())
    .addColumn('seq', 'bigint')
    .addColumn('battery', 'real')
    .addColumn('charging', 'integer')
    .addColumn('network', 'text')
    .addColumn('rssi', 'real')
    .addColumn('bars', 'integer')
    .addColumn('lat', 'double precision')
    .addColumn('lon', 'double precision')
    .addColumn('acc', 'real')
    .addColumn('fw', 'text')
    .addColumn('event', 'text')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('telemetry_device_at').on('telemetry').columns(['device_id', 'at']).execute();
  // Retention deletes by receive time.
  await db.schema.createIndex('telemetry_received_at').on('telemetry').column('received_at').execute();

  await db.schema
    .createTable('ingest_errors')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('topic_kind', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ingest_errors_device_at').on('ingest_errors').columns(['device_id', 'at']).execute();

  await db.schema
    .createTable('ingest_error_counts')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ingest_error_counts_pk', ['device_id', 'reason'])
    .execute();

  await db.schema
    .createTable('gateways')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('description', 'text')
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .execute();
  await db.schema
    .createTable('gateway_devices')
    .addColumn('gateway_id', 'text', (c) => c.notNull().references('gateways.id').onDelete('cascade'))
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
    .addPrimaryKeyConstraint('gateway_devices_pk', ['gateway_id', 'device_id'])
    .execute();
}
