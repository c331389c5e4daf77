import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * Issue 14 §9: a device's `config` downlink (its heartbeat interval) waiting for the device's
 * acknowledgement, as JSON; sent again on each connect until acknowledged, then cleared.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('devices').addColumn('config_pending', 'text').execute();
}
