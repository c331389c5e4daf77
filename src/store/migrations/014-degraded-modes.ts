import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * Issue 13: paging through a carrier outage (docs/paging.md).
 * - `in_doubt`: a send whose outcome is unknown (the sender died or timed out mid-request); the
 *   next attempt first asks the provider whether the message went out.
 * - `sending_since`: when the current attempt began, the earliest time the provider may show it.
 * - `fallback_of`: the SMS a voice call stands in for, so one SMS is followed by one call at most.
 * - `alarms.device_reported_at`: the time a device claimed when its clock was suspect and the
 *   receive time replaced it, so operators see both (issue 13 point 6).
 * - `store_probe`: one row that /readyz commits to prove the store can commit (src/store/store-health.ts).
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .alterTable('notifications')
    .addColumn('in_doubt', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('notifications').addColumn('sending_since', 'bigint').execute();
  await db.schema.alterTable('notifications').addColumn('fallback_of', 'text').execute();
  await db.schema.createIndex('notifications_fallback_of').on('notifications').column('fallback_of').execute();
  await db.schema.alterTable('alarms').addColumn('device_reported_at', 'bigint').execute();
  await db.schema
    .createTable('store_probe')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
}
