import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** One unreadable message as kept for a technician. Times are epoch ms. */
export interface UnreadableMessage {
  deviceId: string;
  at: number;
  /** Message kind from the topic: heartbeat, alarm, event, status. */
  topicKind: string;
  reason: string;
}

/** How many unreadable messages a device sent for one reason, and when the last came. */
export interface UnreadableCount {
  deviceId: string;
  reason: string;
  count: number;
  lastAt: number;
}

/** Unreadable device messages: the latest kept per device, and running counts per reason. */
export class IngestErrorRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores a batch of messages and adds a batch of counts to the running ones, in one transaction. */
  async save(messages: readonly UnreadableMessage[], counts: readonly UnreadableCount[]): Promise<void> {
    if (messages.length === 0 && counts.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      if (messages.length > 0)
        await trx
          .insertInto('ingest_errors')
          .values(messages.map((m) => ({ device_id: m.deviceId, at: m.at, topic_kind: m.topicKind, reason: m.reason })))
          .execute();
      for (const c of counts) {
        await trx
          .insertInto('ingest_error_counts')
          .values({ device_id: c.deviceId, reason: c.reason, count: c.count, last_at: c.lastAt })
          .onConflict((oc) =>
            oc.columns(['device_id', 'reason']).doUpdateSet((eb) => ({
              count: eb('ingest_error_counts.count', '+', c.count),
              last_at: c.lastAt,
            })),
          )
          .execute();
      }
    });
  }

  async recent(deviceId: string, limit: number): Promise<UnreadableMessage[]> {
    const rows = await this.db
      .selectFrom('ingest_errors')
      .selectAll()
      .where('device_id', '=', deviceId)
      .orderBy('at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ deviceId: r.device_id, at: Number(r.at), topicKind: r.topic_kind, reason: r.reason }));
  }

  async counts(deviceId: string): Promise<UnreadableCount[]> {
    const rows = await this.db.selectFrom('ingest_error_counts').selectAll().where('device_id', '=', deviceId).orderBy('reason').execute();
    return rows.map((c) => ({ deviceId: c.device_id, reason: c.reason, count: Number(c.count), lastAt: Number(c.last_at) }));
  }

  /**
   * Frames from hardware no device is registered for (protocol gateways record them under
   * `unregistered:<protocol>:<hardware id>`), most recent first.
   */
  async unregistered(limit: number): Promise<UnreadableCount[]> {
    const rows = await this.db
      .selectFrom('ingest_error_counts')
      .selectAll()
      .where('device_id', 'like', 'unregistered:%')
      .orderBy('last_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((c) => ({ deviceId: c.device_id, reason: c.reason, count: Number(c.count), lastAt: Number(c.last_at) }));
  }

  async prune(olderThan: number): Promise<void> {
    await this.db.deleteFrom('ingest_errors').where('at', '<', olderThan).execute();
  }
}
