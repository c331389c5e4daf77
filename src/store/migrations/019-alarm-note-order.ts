import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * Notes and calls on an alarm are ordered by their time and then by `seq`, the order they were
 * recorded in, so two recorded in the same millisecond keep their order without their time
 * being changed (src/store/repositories/alarm-notes.ts). Rows already stored are numbered in
 * the order they were shown until now: by time, then id.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine === 'postgres') {
    await sql`alter table alarm_notes add column seq bigint`.execute(db);
    await sql`update alarm_notes set seq = o.n
      from (select id, row_number() over (order by at, id) as n from alarm_notes) o
      where alarm_notes.id = o.id`.execute(db);
    await sql`alter table alarm_notes alter column seq set not null`.execute(db);
    await sql`alter table alarm_notes alter column seq add generated always as identity`.execute(db);
    await sql`select setval(pg_get_serial_sequence('alarm_notes', 'seq'), coalesce(max(seq), 0) + 1, false) from alarm_notes`.execute(db);
    await db.schema.dropIndex('alarm_notes_alarm').execute();
  } else {
    // SQLite cannot add an autoincrement column to a table that exists, so the table is
    // rebuilt and renamed (nothing references alarm_notes).
    await db.schema
      .createTable('alarm_notes_ordered')
      .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('alarm_id', 'text', (c) => c.notNull().references('alarms.id'))
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('author_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('text', 'text')
      .addColumn('callee', 'text')
      .addColumn('phone', 'text')
      .addColumn('call_outcome', 'text')
      .execute();
    await sql`insert into alarm_notes_ordered (id, alarm_id, at, author_id, kind, text, callee, phone, call_outcome)
      select id, alarm_id, at, author_id, kind, text, callee, phone, call_outcome from alarm_notes order by at, id`.execute(db);
    await db.schema.dropTable('alarm_notes').execute();
    await db.schema.alterTable('alarm_notes_ordered').renameTo('alarm_notes').execute();
  }
  await db.schema.createIndex('alarm_notes_alarm').on('alarm_notes').columns(['alarm_id', 'at', 'seq']).execute();
}
