import { STEP_CHANNELS, STEP_TARGETS, type StepChannel, type StepTarget } from '../../domain/escalation.ts';
import { newId } from '../ids.ts';
import { checkedOneOf } from '../row-check.ts';
import type { NotificationTable } from '../schema-alerts.ts';

export const RECIPIENT_TYPES = ['console', 'webhook', 'contact', 'responder', 'user'] as const;
export type RecipientType = (typeof RECIPIENT_TYPES)[number];

export interface NewNotification {
  alarmId: string;
  stepId: string | null;
  target: StepTarget;
  recipientType: RecipientType;
  recipientId: string | null;
  /** Phone number or URL; personal data, never logged. */
  address: string | null;
  channel: StepChannel;
  language: string;
  template: string;
  body: string;
  /** Acknowledgement cancels it while still queued (paging stops: first acknowledgement wins). */
  untilAck: boolean;
  /** For a voice call standing in for an SMS: that SMS (one call per SMS at most). */
  fallbackOf?: string | null;
}

export interface Notification extends NewNotification {
  id: string;
  status: string;
  attempts: number;
  providerId: string | null;
  nextAttemptAt: number | null;
  reachedAt: number | null;
  createdAt: number;
  /** The last send's outcome is unknown (crash or timeout mid-request): ask the provider first. */
  inDoubt: boolean;
  /** When the current (or doubtful) send began: the provider cannot show it earlier. */
  sendingSince: number | null;
}

export interface NotificationAttempt {
  attempt: number;
  at: number;
  status: string;
  httpStatus: number | null;
  providerId: string | null;
  error: string | null;
}

export interface AttemptResult extends NotificationAttempt {
  nextAttemptAt: number | null;
  /** The request may have reached the provider without an answer (timeout): look it up next time. */
  inDoubt?: boolean;
}

const T = 'notifications';

export const toNotification = (r: NotificationTable): Notification => ({
  id: r.id,
  alarmId: r.alarm_id,
  stepId: r.step_id,
  target: checkedOneOf(T, r.id, 'target', STEP_TARGETS, r.target),
  recipientType: checkedOneOf(T, r.id, 'recipient_type', RECIPIENT_TYPES, r.recipient_type),
  recipientId: r.recipient_id,
  address: r.address,
  channel: checkedOneOf(T, r.id, 'channel', STEP_CHANNELS, r.channel),
  language: r.language,
  template: r.template,
  body: r.body,
  untilAck: r.until_ack === 1,
  status: r.status,
  attempts: r.attempts,
  providerId: r.provider_id,
  nextAttemptAt: r.next_attempt_at,
  reachedAt: r.reached_at,
  createdAt: r.created_at,
  fallbackOf: r.fallback_of,
  inDoubt: r.in_doubt === 1,
  sendingSince: r.sending_since,
});

export function notificationRow(id: string, n: NewNotification, now: number): NotificationTable {
  return {
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
    in_doubt: 0,
    sending_since: null,
    fallback_of: n.fallbackOf ?? null,
  };
}

/** The row of one delivery attempt, as both engines' writers insert it. */
export function attemptRow(n: Notification, a: AttemptResult) {
  return {
    id: newId('att'),
    notification_id: n.id,
    attempt: a.attempt,
    at: a.at,
    http_status: a.httpStatus,
    provider_id: a.providerId,
    status: a.status,
    error: a.error,
  };
}

/** A provider callback may have overtaken the sender (delivered before `sent` was recorded): the later state is kept. */
export const statusAfter = (current: string, a: AttemptResult): string => (current === 'sending' ? a.status : current);

/** What an attempt changes on its message. */
export function attemptChange(n: Notification, a: AttemptResult, status: string) {
  return {
    status,
    attempts: a.attempt,
    provider_id: a.providerId ?? n.providerId,
    next_attempt_at: a.nextAttemptAt,
    lease_until: null,
    last_error: a.error,
    updated_at: a.at,
    in_doubt: a.inDoubt ? 1 : 0,
  };
}
