import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/index.ts';

export type Db = Kysely<Database> | Transaction<Database>;

/**
 * Appends to an alarm's timeline: what an evidence export shows a prosecutor and the case
 * review. Details carry ids and reasons, never phone numbers or message bodies.
 */
export async function appendTimeline(
  db: Db,
  entry: { alarmId: string; at: number; kind: string; actor: string; detail?: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('alarm_timeline')
    .values({
      alarm_id: entry.alarmId,
      at: entry.at,
      kind: entry.kind,
      actor: entry.actor,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
    })
    .execute();
}
