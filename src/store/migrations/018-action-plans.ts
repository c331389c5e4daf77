import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * Issue 18: action plans worked on alarms, the per-case additions to them, security and duress
 * answers (hashed), duress escalations (one per alarm), check-in timers and the bearers of
 * dual-path devices. Times are epoch
 * milliseconds, JSON is text.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  // The plan copied onto an alarm: one header row, so copying is idempotent across nodes.
  await db.schema
    .createTable('alarm_plans')
    .addColumn('alarm_id', 'text', (c) => c.primaryKey().references('alarms.id'))
    .addColumn('plan_name', 'text')
    .addColumn('attached_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('alarm_plan_steps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alarm_id', 'text', (c) => c.notNull().references('alarms.id'))
    .addColumn('step_key', 'text', (c) => c.notNull())
    .addColumn('step_index', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('after', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('reason', 'text')
    .addColumn('marked_by', 'text')
    .addColumn('marked_at', 'bigint')
    .execute();
  await db.schema.createIndex('alarm_plan_steps_key').on('alarm_plan_steps').columns(['alarm_id', 'step_key']).unique().execute();

  // Steps a case adds to every plan of its person (or to the plans of some alarm kinds).
  await db.schema
    .createTable('case_plan_steps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('beneficiary_id', 'text', (c) => c.notNull().references('beneficiaries.id'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('kinds', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_plan_steps_beneficiary').on('case_plan_steps').column('beneficiary_id').execute();

  // Security and duress answers, stored like passwords (src/platform/secrets.ts).
  await db.schema
    .createTable('security_answers')
    .addColumn('beneficiary_id', 'text', (c) => c.primaryKey().references('beneficiaries.id'))
    .addColumn('security_hash', 'text', (c) => c.notNull())
    .addColumn('duress_hash', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // A duress escalates an alarm once, whichever way it came (answer, device) and however often.
  await db.schema
    .createTable('alarm_duress')
    .addColumn('alarm_id', 'text', (c) => c.primaryKey().references('alarms.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();

  // Check-in timers: the database is the schedule, claimed like escalation steps.
  await db.schema
    .createTable('check_in_timers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('beneficiary_id', 'text', (c) => c.notNull().references('beneficiaries.id'))
    .addColumn('destination', 'text')
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_via', 'text', (c) => c.notNull())
    .addColumn('alarm_id', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('check_in_timers_due').on('check_in_timers').columns(['state', 'due_at']).execute();
  // Dual-path devices: one row per declared bearer, with its own supervision window.
  await db.schema
    .createTable('device_paths')
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('window_s', 'integer', (c) => c.notNull())
    .addColumn('last_heard_at', 'bigint')
    .addColumn('lost', 'integer', (c) => c.notNull())
    .addColumn('declared_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('device_paths_pk', ['device_id', 'path'])
    .execute();
  await db.schema.createIndex('check_in_timers_beneficiary').on('check_in_timers').columns(['beneficiary_id', 'state']).execute();
}
