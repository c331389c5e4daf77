import { backoffMs, type StepTarget } from '../domain/escalation.ts';
import { newId } from '../store/index.ts';
import type { NotificationTable } from '../store/schema-alerts.ts';
import { type AlertsContext, ENGINE_ACTOR } from './context.ts';
import { type Notifier, NotifierError, type OutgoingMessage } from './notifiers/port.ts';
import { type NewNotification, queueNotification } from './outbox.ts';
import { appendTimeline } from './timeline.ts';
import { renderVoice } from './voice-text.ts';

export const MAX_ATTEMPTS = 6;
/** A node that dies mid-send loses its claim after this long; the message is sent again (at least once). */
const LEASE_MS = 15_000;

export interface Notifiers {
  console: Notifier;
  sms: Notifier;
  voice: Notifier;
  webhook: Notifier | undefined;
}

/** Claims due outbox rows with a conditional UPDATE (works across nodes) and sends them. */
export async function sendDue(ctx: AlertsContext, notifiers: Notifiers, limit = 50): Promise<number> {
  const now = ctx.clock.now();
  const candidates = await ctx.db
    .selectFrom('notifications')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', 'in', ['queued', 'retry']), eb('next_attempt_at', '<=', now)]),
        eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)]),
      ]),
    )
    .orderBy('created_at')
    .limit(limit)
    .execute();
  if (candidates.length === 0) return 0;
  // Claimed in one transaction (one commit); the conditional UPDATE keeps two nodes from
  // claiming the same row.
  const claimed = await ctx.db.transaction().execute(async (trx) => {
    const rows: NotificationTable[] = [];
    for (const { id } of candidates) {
      const res = await trx
        .updateTable('notifications')
        .set({ status: 'sending', lease_until: now + LEASE_MS, updated_at: now })
        .where('id', '=', id)
        .where((eb) =>
          eb.or([eb('status', 'in', ['queued', 'retry']), eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)])]),
        )
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1)
        rows.push(await trx.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
    }
    return rows;
  });
  await Promise.all(claimed.map((n) => attempt(ctx, notifiers, n)));
  return claimed.length;
}

async function attempt(ctx: AlertsContext, notifiers: Notifiers, n: NotificationTable): Promise<void> {
  const notifier = n.channel === 'webhook' ? notifiers.webhook : notifiers[n.channel as 'console' | 'sms' | 'voice'];
  const number = n.attempts + 1;
  const message: OutgoingMessage = {
    notificationId: n.id,
    alarmId: n.alarm_id,
    channel: n.channel as OutgoingMessage['channel'],
    address: n.address,
    body: n.body,
    language: n.language,
  };
  let status: string;
  let providerId: string | null = null;
  let httpStatus: number | null = null;
  let error: string | null = null;
  let nextAttemptAt: number | null = null;
  try {
    if (!notifier) throw new NotifierError(`no notifier for channel ${n.channel}`, false, null);
    const result = await notifier.send(message);
    status = result.status;
    providerId = result.providerId;
    httpStatus = result.httpStatus;
  } catch (err) {
    const e = err instanceof NotifierError ? err : new NotifierError((err as Error).message, true, null);
    httpStatus = e.httpStatus;
    error = e.message;
    if (e.retryable && number < MAX_ATTEMPTS) {
      status = 'retry';
      nextAttemptAt = ctx.clock.now() + backoffMs(number);
    } else status = 'failed';
  }
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('notification_attempts')
      .values({
        id: newId('att'),
        notification_id: n.id,
        attempt: number,
        at: now,
        http_status: httpStatus,
        provider_id: providerId,
        status,
        error,
      })
      .execute();
    // A callback may have overtaken us (delivered before we recorded `sent`): keep the later state.
    const current = await trx.selectFrom('notifications').select('status').where('id', '=', n.id).executeTakeFirstOrThrow();
    const finalStatus = current.status === 'sending' ? status : current.status;
    await trx
      .updateTable('notifications')
      .set({
        status: finalStatus,
        attempts: number,
        provider_id: providerId ?? n.provider_id,
        next_attempt_at: nextAttemptAt,
        lease_until: null,
        last_error: error,
        updated_at: now,
      })
      .where('id', '=', n.id)
      .execute();
    await appendTimeline(trx, {
      alarmId: n.alarm_id,
      at: now,
      kind: 'notification_attempt',
      actor: ENGINE_ACTOR,
      detail: { notificationId: n.id, channel: n.channel, attempt: number, status, httpStatus, providerId, error },
    });
  });
  if (status === 'failed')
    ctx.logger.warn({ notificationId: n.id, alarmId: n.alarm_id, channel: n.channel, httpStatus }, 'notification failed');
  ctx.events.emit('notification.changed', { alarmId: n.alarm_id, notificationId: n.id, channel: n.channel, status, at: now });
  if (status === 'failed' && n.channel === 'sms') await fallBackToVoice(ctx, n.id, 'sms failed');
  if (nextAttemptAt !== null) ctx.kick();
}

/** docs/architecture.md: a failed or undelivered SMS falls back to a voice call to the same person. */
export async function fallBackToVoice(ctx: AlertsContext, notificationId: string, reason: string): Promise<string | undefined> {
  const now = ctx.clock.now();
  const id = await ctx.db.transaction().execute(async (trx) => {
    const n = await trx.selectFrom('notifications').selectAll().where('id', '=', notificationId).executeTakeFirst();
    if (n?.channel !== 'sms' || !n.address) return undefined;
    const alarm = await trx.selectFrom('alarms').select('state').where('id', '=', n.alarm_id).executeTakeFirstOrThrow();
    if (alarm.state === 'resolved' || (n.until_ack === 1 && alarm.state !== 'open')) return undefined;
    const body = await renderVoice(trx, ctx, n.alarm_id, n.language);
    // The same recipient, called instead: a failed SMS never leaves a person unpaged.
    const voiceId = await queueNotification(
      trx,
      {
        alarmId: n.alarm_id,
        stepId: n.step_id,
        target: n.target as StepTarget,
        recipientType: n.recipient_type as NewNotification['recipientType'],
        recipientId: n.recipient_id,
        address: n.address,
        channel: 'voice',
        language: n.language,
        template: 'voice',
        body,
        untilAck: n.until_ack === 1,
      },
      now,
    );
    await appendTimeline(trx, {
      alarmId: n.alarm_id,
      at: now,
      kind: 'fallback_to_voice',
      actor: ENGINE_ACTOR,
      detail: { from: notificationId, to: voiceId, reason },
    });
    return voiceId;
  });
  if (id) ctx.kick();
  return id;
}
