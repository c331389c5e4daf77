import { type Kysely, sql } from 'kysely';

/**
 * Alarms and every press that raised or joined one. Shared by intake (ingest, P1) and the
 * lifecycle (alerts). `alarm_presses` keys on the device's own alarm id, so a retransmitted
 * PUBLISH is recognised and stored once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alarms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
    .addColumn('beneficiary_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('test', 'integer', (c) => c.notNull())
    .addColumn('raised_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('clock_suspect', 'integer', (c) => c.notNull())
    .addColumn('loc', 'text')
    .addColumn('note', 'text')
    .addColumn('raw', 'text')
    .addColumn('press_count', 'integer', (c) => c.notNull())
    .addColumn('last_press_at', 'bigint', (c) => c.notNull())
    .addColumn('policy', 'text')
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('acknowledged_by', 'text')
    .addColumn('dispatched_at', 'bigint')
    .addColumn('dispatched_by', 'text')
    .addColumn('on_scene_at', 'bigint')
    .addColumn('on_scene_by', 'text')
    .addColumn('resolved_at', 'bigint')
    .addColumn('resolved_by', 'text')
    .addColumn('outcome', 'text')
    .addColumn('resolution_note', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alarms_state').on('alarms').columns(['state', 'received_at']).execute();
  await db.schema.createIndex('alarms_device').on('alarms').columns(['device_id', 'received_at']).execute();
  // At most one open alarm per device and kind: a second press joins it.
  await db.schema
    .createIndex('alarms_one_open_per_kind')
    .on('alarms')
    .columns(['device_id', 'kind'])
    .unique()
    .where(sql.ref('state'), '<>', 'resolved')
    .execute();

  await db.schema
    .createTable('alarm_presses')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('device_alarm_id', 'text', (c) => c.notNull())
    .addColumn('alarm_id', 'text', (c) => c.notNull().references('alarms.id'))
    .addColumn('device_ts', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('alarm_presses_pk', ['device_id', 'device_alarm_id'])
    .execute();
  await db.schema.createIndex('alarm_presses_alarm').on('alarm_presses').column('alarm_id').execute();
}
