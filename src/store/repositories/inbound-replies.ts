import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * Issue 15: inbound replies by the provider's message id. A reply is claimed once; a second
 * request with the same id (a replay, or the provider retrying) finds it already claimed.
 */
export class InboundReplyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** True the first time this message id is seen; false for every later time. */
  async claim(providerId: string, channel: string, at: number): Promise<boolean> {
    const result = await this.db
      .insertInto('inbound_replies')
      .values({ provider_id: providerId, channel, received_at: at, alarm_id: null, outcome: 'received' })
      .onConflict((oc) => oc.column('provider_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** What the reply did, for the record (acknowledged, refused and why). */
  async settle(providerId: string, outcome: string, alarmId: string | null): Promise<void> {
    await this.db.updateTable('inbound_replies').set({ outcome, alarm_id: alarmId }).where('provider_id', '=', providerId).execute();
  }

  async outcome(providerId: string): Promise<{ outcome: string; alarmId: string | null } | undefined> {
    const row = await this.db
      .selectFrom('inbound_replies')
      .select(['outcome', 'alarm_id'])
      .where('provider_id', '=', providerId)
      .executeTakeFirst();
    return row ? { outcome: row.outcome, alarmId: row.alarm_id } : undefined;
  }
}
