import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * What operators write while handling an alarm (notes, and each call: whom, which number, how
 * it went) and the addresses registered for a person, with coordinates so the alarm map can
 * show them when a device sends no fix. Repositories: src/store/repositories/alarm-notes.ts and
 * beneficiary-addresses.ts.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('alarm_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alarm_id', 'text', (c) => c.notNull().references('alarms.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('callee', 'text')
    .addColumn('phone', 'text')
    .addColumn('call_outcome', 'text')
    .execute();
  await db.schema.createIndex('alarm_notes_alarm').on('alarm_notes').columns(['alarm_id', 'at']).execute();

  await db.schema
    .createTable('beneficiary_addresses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('beneficiary_id', 'text', (c) => c.notNull().references('beneficiaries.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('line', 'text', (c) => c.notNull())
    .addColumn('municipality', 'text')
    .addColumn('state_code', 'text', (c) => c.notNull())
    .addColumn('lat', 'double precision')
    .addColumn('lon', 'double precision')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('beneficiary_addresses_owner').on('beneficiary_addresses').column('beneficiary_id').execute();
  // History search filters by these; received_at orders the results.
  await db.schema.createIndex('alarms_history_received').on('alarms').column('received_at').execute();
}
