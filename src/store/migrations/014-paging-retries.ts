import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * Issue 13: paging through a carrier outage (docs/paging.md).
 * - `in_doubt`: a send whose outcome is unknown (the sender died or timed out mid-request); the
 *   next attempt first asks the provider whether the message went out.
 * - `sending_since`: when the current attempt began, the earliest time the provider may show it.
 * - `fallback_of`: the SMS a voice call stands in for, so one SMS is followed by one call at most.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .alterTable('notifications')
    .addColumn('in_doubt', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('notifications').addColumn('sending_since', 'bigint').execute();
  await db.schema.alterTable('notifications').addColumn('fallback_of', 'text').execute();
  await db.schema.createIndex('notifications_fallback_of').on('notifications').column('fallback_of').execute();
}
