import type { Notification } from '../../store/index.ts';
import { type AlertsContext, ENGINE_ACTOR } from '../context.ts';
import { type Notifier, NotifierError, type Notifiers, type OutgoingMessage, type SendResult } from '../notifiers/port.ts';
import { fallBackToVoice } from './fallback.ts';
import { retryDelayMs } from './retry-delay.ts';

export type { Notifiers };

/** How the outbox pages (docs/paging.md); tests scale the times down. */
export interface PagingSettings {
  /** Requests in flight at once; one slow request holds a slot, never the others. */
  concurrency: number;
  /** A provider request without an answer by then is abandoned (its outcome is then in doubt). */
  requestTimeoutMs: number;
  /** Retry delays: base × 2^(attempt−1), capped, plus up to 20 % jitter. */
  retryBaseMs: number;
  retryCapMs: number;
  /** A node that dies mid-send loses its claim after this long; the message is then looked up. */
  leaseMs: number;
  /** A person is never called twice within this for one alarm (docs/paging.md). */
  callGapMs: number;
  /** Jitter source, in [0, 1). */
  random?: () => number;
}

export const DEFAULT_PAGING: PagingSettings = {
  concurrency: 8,
  requestTimeoutMs: 10_000,
  retryBaseMs: 500,
  retryCapMs: 60_000,
  leaseMs: 15_000,
  callGapMs: 60_000,
};

/**
 * Retryable failures of an SMS after which the same person is also called; the SMS keeps
 * retrying (issue 13: paging retries for the alarm's life, not for 16 seconds).
 */
export const FALLBACK_AFTER = 6;

interface Outcome {
  status: string;
  providerId: string | null;
  httpStatus: number | null;
  error: string | null;
  nextAttemptAt: number | null;
  inDoubt: boolean;
}

/**
 * Claims due outbox messages (safe across nodes) and sends each in its own slot: a pass
 * claims only as many as there are free slots and does not wait for them, so a hung provider
 * request never delays other pages nor the escalation loop.
 */
export class OutboxSender {
  private readonly inFlight = new Set<Promise<void>>();
  /** The last claim filled every free slot. */
  private full = false;
  /** Calls being placed now, by alarm and number: a second one waits its minute (docs/paging.md). */
  private readonly calling = new Set<string>();
  constructor(
    private readonly ctx: AlertsContext,
    private readonly notifiers: Notifiers,
    private readonly settings: PagingSettings = DEFAULT_PAGING,
  ) {}

  /** Claims up to the free slots and starts them; returns how many rows were claimed. */
  async pass(): Promise<number> {
    const free = this.settings.concurrency - this.inFlight.size;
    if (free <= 0) return 0;
    const { ctx } = this;
    const now = ctx.clock.now();
    const { items, bad } = await ctx.repos.outbox.claimDue(now, this.settings.leaseMs, free);
    // Every slot taken: more may be waiting, and the first slot that frees up asks for them.
    this.full = items.length + bad.length >= free;
    for (const err of bad) {
      ctx.logger.error({ err, ...err.details }, 'notification row unreadable; not sent');
      await ctx.repos.outbox.markUnreadable(String(err.details?.id), now);
    }
    for (const n of items) {
      const p: Promise<void> = attempt(ctx, this.notifiers, n, this.settings, this.calling)
        .catch((err) => {
          if (!ctx.storeFailed?.(err))
            ctx.logger.error({ err, notificationId: n.id }, 'notification attempt not recorded; retried after its lease');
        })
        .finally(() => {
          this.inFlight.delete(p);
          // A slot came free while messages may be waiting for one: they go now, not at the next
          // poll. Otherwise nothing is waiting, and a pass per finished send would be wasted queries.
          if (this.full) {
            this.full = false;
            ctx.kick();
          }
        });
      this.inFlight.add(p);
    }
    return items.length + bad.length;
  }

  /** Resolves when every attempt started so far has been recorded. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  get busy(): number {
    return this.inFlight.size;
  }
}

/** One pass that waits for its attempts (tests with a manual clock). */
export async function sendDue(
  ctx: AlertsContext,
  notifiers: Notifiers,
  limit = 50,
  settings: Partial<PagingSettings> = {},
): Promise<number> {
  const sender = new OutboxSender(ctx, notifiers, { ...DEFAULT_PAGING, concurrency: limit, ...settings });
  const claimed = await sender.pass();
  await sender.idle();
  return claimed;
}

const messageOf = (n: Notification): OutgoingMessage => ({
  notificationId: n.id,
  alarmId: n.alarmId,
  channel: n.channel,
  address: n.address,
  body: n.body,
  language: n.language,
});

/** Rejects after `ms` with a retryable error whose outcome is unknown; the timer never outlives the race. */
async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NotifierError(`no answer within ${ms} ms`, true, null, true)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const done = (r: SendResult): Outcome => ({
  status: r.status,
  providerId: r.providerId,
  httpStatus: r.httpStatus,
  // A message no carrier took keeps why (`sms_not_configured`): issue 14 §1.
  error: r.reason ?? null,
  nextAttemptAt: null,
  inDoubt: false,
});

function failure(err: unknown, number: number, ctx: AlertsContext, s: PagingSettings, stillInDoubt: boolean): Outcome {
  const e = err instanceof NotifierError ? err : new NotifierError((err as Error).message, true, null);
  // 429, 5xx, no answer: retried for the alarm's life; anything else fails now.
  const retry = e.retryable;
  return {
    status: retry ? 'retry' : 'failed',
    providerId: null,
    httpStatus: e.httpStatus,
    error: e.message,
    nextAttemptAt: retry ? ctx.clock.now() + retryDelayMs(number, s.retryBaseMs, s.retryCapMs, s.random ?? Math.random) : null,
    inDoubt: retry && (e.inDoubt || stillInDoubt),
  };
}

/**
 * What a notifier answered, as the outbox records it. A message in doubt (an earlier request
 * may have reached the provider) is looked up first and sent again only if the provider does
 * not have it: an SMS goes out at most twice, with the same text (docs/paging.md).
 */
async function deliver(
  notifier: Notifier | undefined,
  n: Notification,
  number: number,
  ctx: AlertsContext,
  s: PagingSettings,
  calling: Set<string>,
) {
  const message = messageOf(n);
  if (n.inDoubt && notifier?.lookup) {
    const since = n.sendingSince ?? n.createdAt;
    try {
      const found = await withTimeout(notifier.lookup(message, since), s.requestTimeoutMs);
      if (found) return { ...done(found), lookedUp: true };
      // A call the provider does not list yet may still be ringing: never a second one within
      // a minute of the first attempt; by then the provider's list shows it if it was placed.
      if (n.channel === 'voice' && since + s.callGapMs > ctx.clock.now())
        return {
          status: 'retry',
          providerId: null,
          httpStatus: null,
          error: 'call in doubt: looked up again a minute after it was placed',
          nextAttemptAt: since + s.callGapMs,
          inDoubt: true,
          lookedUp: false,
        };
    } catch (err) {
      // The provider cannot tell: wait and ask again rather than risk a duplicate.
      const f = failure(err, number, ctx, s, true);
      return { ...f, error: `lookup: ${f.error}`, status: f.status === 'failed' ? 'retry' : f.status, inDoubt: true, lookedUp: false };
    }
  }
  // Another call of this alarm to the same number went out less than a minute ago (a fallback and
  // a voice step together, say): this one waits its turn instead of ringing twice.
  const key = n.channel === 'voice' && n.address ? `${n.alarmId} ${n.address}` : undefined;
  if (key && n.address) {
    // Taken before any await, so two attempts of one pass cannot both ring.
    const busy = calling.has(key);
    if (!busy) calling.add(key);
    const last = busy ? ctx.clock.now() : await ctx.repos.outbox.lastCallTo(n.alarmId, n.address, n.id);
    if (last !== undefined && last + s.callGapMs > ctx.clock.now()) {
      if (!busy) calling.delete(key);
      return {
        status: 'retry',
        providerId: null,
        httpStatus: null,
        error: 'another call to this person less than a minute ago',
        nextAttemptAt: last + s.callGapMs,
        inDoubt: n.inDoubt,
        lookedUp: false,
      };
    }
  }
  try {
    if (!notifier) throw new NotifierError(`no notifier for channel ${n.channel}`, false, null);
    return { ...done(await withTimeout(notifier.send(message), s.requestTimeoutMs)), lookedUp: false };
  } catch (err) {
    return { ...failure(err, number, ctx, s, false), lookedUp: false };
  } finally {
    if (key) calling.delete(key);
  }
}

async function attempt(ctx: AlertsContext, notifiers: Notifiers, n: Notification, s: PagingSettings, calling: Set<string>): Promise<void> {
  const { alarms, outbox } = ctx.repos;
  // Paging stops once someone acknowledged: a retry is not made, nor a send in doubt repeated.
  // A page queued after the acknowledgement (the responder, on dispatch) goes on until it goes.
  if (n.attempts > 0 || n.inDoubt) {
    const alarm = await alarms.get(n.alarmId);
    const answered = alarm?.acknowledgedAt != null && alarm.acknowledgedAt >= n.createdAt;
    if (!alarm || alarm.state === 'resolved' || answered) {
      const now = ctx.clock.now();
      await outbox.stop(n.id, 'cancelled', now);
      ctx.events.emit('notification.changed', {
        alarmId: n.alarmId,
        notificationId: n.id,
        channel: n.channel,
        status: 'cancelled',
        at: now,
      });
      return;
    }
  }
  const notifier = n.channel === 'webhook' ? notifiers.webhook : notifiers[n.channel];
  const number = n.attempts + 1;
  const { lookedUp, ...r } = await deliver(notifier, n, number, ctx, s, calling);
  const now = ctx.clock.now();
  ctx.metrics.attempts.inc({ channel: n.channel, status: r.status });
  const { status, httpStatus, providerId, error } = r;
  // The attempt and its timeline entry commit together (on SQLite with the attempts that ended in the same turn).
  await outbox.recordAttemptNoted({
    n,
    a: { attempt: number, at: now, ...r },
    entry: {
      alarmId: n.alarmId,
      at: now,
      kind: 'notification_attempt',
      actor: ENGINE_ACTOR,
      detail: {
        notificationId: n.id,
        channel: n.channel,
        attempt: number,
        status,
        httpStatus,
        providerId,
        error,
        ...(lookedUp ? { foundAtProvider: true } : {}),
      },
    },
  });
  if (r.status === 'failed')
    ctx.logger.warn({ notificationId: n.id, alarmId: n.alarmId, channel: n.channel, httpStatus: r.httpStatus }, 'notification failed');
  ctx.events.emit('notification.changed', { alarmId: n.alarmId, notificationId: n.id, channel: n.channel, status: r.status, at: now });
  if (n.channel === 'sms' && (r.status === 'failed' || (r.status === 'retry' && number === FALLBACK_AFTER)))
    await fallBackToVoice(ctx, n.id, r.status === 'failed' ? 'sms failed' : `sms not accepted after ${number} attempts`);
}
