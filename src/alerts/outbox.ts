import type { StepChannel, StepTarget } from '../domain/escalation.ts';
import { newId } from '../store/index.ts';
import type { Db } from './timeline.ts';

export interface NewNotification {
  alarmId: string;
  stepId: string | null;
  target: StepTarget;
  recipientType: 'console' | 'webhook' | 'contact' | 'responder' | 'user';
  recipientId: string | null;
  address: string | null;
  channel: StepChannel;
  language: string;
  template: string;
  body: string;
  /** Acknowledgement cancels it while still queued (paging stops, P1/DESIGN "first ack wins"). */
  untilAck: boolean;
}

/** Puts a message on the outbox in the caller's transaction; the sender loop delivers it. */
export async function queueNotification(db: Db, n: NewNotification, now: number): Promise<string> {
  const id = newId('ntf');
  await db
    .insertInto('notifications')
    .values({
      id,
      alarm_id: n.alarmId,
      step_id: n.stepId,
      target: n.target,
      recipient_type: n.recipientType,
      recipient_id: n.recipientId,
      address: n.address,
      channel: n.channel,
      language: n.language,
      template: n.template,
      body: n.body,
      until_ack: n.untilAck ? 1 : 0,
      status: 'queued',
      attempts: 0,
      provider_id: null,
      next_attempt_at: now,
      lease_until: null,
      last_error: null,
      reached_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** Stops the paging of an alarm: queued staff messages not yet sent are cancelled. */
export async function cancelPaging(db: Db, alarmId: string, now: number, everything = false): Promise<number> {
  let q = db
    .updateTable('notifications')
    .set({ status: 'cancelled', updated_at: now, next_attempt_at: null })
    .where('alarm_id', '=', alarmId)
    .where('status', 'in', ['queued', 'retry']);
  if (!everything) q = q.where('until_ack', '=', 1);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}
