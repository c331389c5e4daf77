import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * Issue 15: every inbound SMS reply is remembered by the provider's message id, so a captured
 * and re-sent (validly signed) reply counts once and never acknowledges another alarm; and a
 * device's test run remembers when it began, so renewals cannot keep it on test for ever.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('inbound_replies')
    .addColumn('provider_id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('alarm_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .execute();
  // Test mode is bounded per run, not per request: when the current run began (issue 15).
  await db.schema.alterTable('devices').addColumn('on_test_since', 'bigint').execute();
}
