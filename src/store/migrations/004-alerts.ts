import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * Tables of src/alerts. P1: escalation state lives here (due steps, the outbox), so a restart
 * resumes every escalation where it stood. Times are epoch milliseconds, JSON is text.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  // Due escalation steps: one row per policy step of an alarm, with its next due time.
  await db.schema
    .createTable('alarm_steps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alarm_id', 'text', (c) => c.notNull().references('alarms.id'))
    .addColumn('step_index', 'integer', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint')
    .addColumn('fired_count', 'integer', (c) => c.notNull())
    .addColumn('last_fired_at', 'bigint')
    .addColumn('done_at', 'bigint')
    .addColumn('done_reason', 'text')
    .execute();
  await db.schema.createIndex('alarm_steps_due').on('alarm_steps').columns(['done_at', 'due_at']).execute();
  await db.schema.createIndex('alarm_steps_alarm').on('alarm_steps').column('alarm_id').execute();

  // The outbox: one row per message to one recipient on one channel.
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alarm_id', 'text', (c) => c.notNull().references('alarms.id'))
    .addColumn('step_id', 'text')
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('recipient_type', 'text', (c) => c.notNull())
    .addColumn('recipient_id', 'text')
    .addColumn('address', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('until_ack', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('provider_id', 'text')
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('lease_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('reached_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notifications_due').on('notifications').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('notifications_alarm').on('notifications').column('alarm_id').execute();
  await db.schema.createIndex('notifications_provider').on('notifications').column('provider_id').execute();
  await db.schema.createIndex('notifications_address').on('notifications').columns(['address', 'created_at']).execute();

  // Every provider attempt, with its provider id and answer (issue 4: each attempt is visible).
  await db.schema
    .createTable('notification_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notification_id', 'text', (c) => c.notNull().references('notifications.id'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('http_status', 'integer')
    .addColumn('provider_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('notification_attempts_n').on('notification_attempts').column('notification_id').execute();

  // The alarm's timeline: what evidence exports. `seq` orders entries written in the same ms.
  await db.schema
    .createTable('alarm_timeline')
    .addColumn('seq', engine === 'postgres' ? 'bigserial' : 'integer', (c) =>
      engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('alarm_id', 'text', (c) => c.notNull().references('alarms.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('alarm_timeline_alarm').on('alarm_timeline').columns(['alarm_id', 'seq']).execute();

  // P5: a genuine alarm reopens the case.
  await db.schema
    .createTable('case_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alarm_id', 'text', (c) => c.notNull().unique().references('alarms.id'))
    .addColumn('beneficiary_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('assigned_to', 'text')
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .addColumn('closed_by', 'text')
    .addColumn('closing_note', 'text')
    .execute();
  await db.schema.createIndex('case_reviews_state').on('case_reviews').columns(['state', 'opened_at']).execute();
}
