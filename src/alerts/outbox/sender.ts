import { backoffMs } from '../../domain/escalation.ts';
import type { Notification } from '../../store/index.ts';
import { type AlertsContext, ENGINE_ACTOR } from '../context.ts';
import { type Notifier, NotifierError, type Notifiers, type OutgoingMessage } from '../notifiers/port.ts';

export type { Notifiers };

import { fallBackToVoice } from './fallback.ts';

export const MAX_ATTEMPTS = 6;
/** A node that dies mid-send loses its claim after this long; the message is sent again (at least once). */
const LEASE_MS = 15_000;

/** Claims the due outbox messages (safe across nodes) and sends them. Returns how many were claimed. */
export async function sendDue(ctx: AlertsContext, notifiers: Notifiers, limit = 50): Promise<number> {
  const now = ctx.clock.now();
  const { items, bad } = await ctx.repos.outbox.claimDue(now, LEASE_MS, limit);
  for (const err of bad) {
    ctx.logger.error({ err, ...err.details }, 'notification row unreadable; not sent');
    await ctx.repos.outbox.markUnreadable(String(err.details?.id), now);
  }
  await Promise.all(items.map((n) => attempt(ctx, notifiers, n)));
  return items.length + bad.length;
}

/** What a notifier answered, as the outbox records it. */
async function deliver(notifier: Notifier | undefined, n: Notification, number: number, ctx: AlertsContext) {
  const message: OutgoingMessage = {
    notificationId: n.id,
    alarmId: n.alarmId,
    channel: n.channel,
    address: n.address,
    body: n.body,
    language: n.language,
  };
  try {
    if (!notifier) throw new NotifierError(`no notifier for channel ${n.channel}`, false, null);
    const result = await notifier.send(message);
    return {
      status: result.status as string,
      providerId: result.providerId,
      httpStatus: result.httpStatus,
      // A message no carrier took keeps why (`sms_not_configured`): issue 14 §1.
      error: result.reason ?? null,
      nextAttemptAt: null,
    };
  } catch (err) {
    const e = err instanceof NotifierError ? err : new NotifierError((err as Error).message, true, null);
    // 429 and 5xx are retried with backoff; anything else, or the last attempt, fails.
    const retry = e.retryable && number < MAX_ATTEMPTS;
    return {
      status: retry ? 'retry' : 'failed',
      providerId: null,
      httpStatus: e.httpStatus,
      error: e.message,
      nextAttemptAt: retry ? ctx.clock.now() + backoffMs(number) : null,
    };
  }
}

async function attempt(ctx: AlertsContext, notifiers: Notifiers, n: Notification): Promise<void> {
  const { alarms, outbox } = ctx.repos;
  const notifier = n.channel === 'webhook' ? notifiers.webhook : notifiers[n.channel];
  const number = n.attempts + 1;
  const r = await deliver(notifier, n, number, ctx);
  const now = ctx.clock.now();
  ctx.metrics.attempts.inc({ channel: n.channel, status: r.status });
  await alarms.transaction(async (tx) => {
    await outbox.recordAttempt(tx, n, { attempt: number, at: now, ...r });
    const { status, httpStatus, providerId, error } = r;
    await alarms.appendTimeline(
      {
        alarmId: n.alarmId,
        at: now,
        kind: 'notification_attempt',
        actor: ENGINE_ACTOR,
        detail: { notificationId: n.id, channel: n.channel, attempt: number, status, httpStatus, providerId, error },
      },
      tx,
    );
  });
  if (r.status === 'failed')
    ctx.logger.warn({ notificationId: n.id, alarmId: n.alarmId, channel: n.channel, httpStatus: r.httpStatus }, 'notification failed');
  ctx.events.emit('notification.changed', { alarmId: n.alarmId, notificationId: n.id, channel: n.channel, status: r.status, at: now });
  if (r.status === 'failed' && n.channel === 'sms') await fallBackToVoice(ctx, n.id, 'sms failed');
  if (r.nextAttemptAt !== null) ctx.kick();
}
