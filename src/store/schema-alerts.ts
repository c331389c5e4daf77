import type { Generated } from 'kysely';

/** Tables owned by src/alerts (migration 004-alerts). */
export interface AlarmStepTable {
  id: string;
  alarm_id: string;
  step_index: number;
  /** The policy step as JSON (copied from the alarm's policy). */
  step: string;
  due_at: number | null;
  fired_count: number;
  last_fired_at: number | null;
  done_at: number | null;
  done_reason: string | null;
}

export interface NotificationTable {
  id: string;
  alarm_id: string;
  step_id: string | null;
  target: string;
  recipient_type: string;
  recipient_id: string | null;
  /** Phone number or URL; personal data, never logged. */
  address: string | null;
  channel: string;
  language: string;
  template: string;
  body: string;
  until_ack: number;
  status: string;
  attempts: number;
  provider_id: string | null;
  next_attempt_at: number | null;
  lease_until: number | null;
  last_error: string | null;
  reached_at: number | null;
  created_at: number;
  updated_at: number;
  /** 1 while a send's outcome is unknown (migration 014). */
  in_doubt: number;
  sending_since: number | null;
  fallback_of: string | null;
}

export interface NotificationAttemptTable {
  id: string;
  notification_id: string;
  attempt: number;
  at: number;
  http_status: number | null;
  provider_id: string | null;
  status: string;
  error: string | null;
}

export interface AlarmTimelineTable {
  seq: number;
  alarm_id: string;
  at: number;
  kind: string;
  actor: string;
  detail: string | null;
}

export interface CaseReviewTable {
  id: string;
  alarm_id: string;
  beneficiary_id: string | null;
  state: string;
  reason: string;
  assigned_to: string | null;
  opened_at: number;
  closed_at: number | null;
  closed_by: string | null;
  closing_note: string | null;
}

export interface AlertsTables {
  alarm_steps: AlarmStepTable;
  notifications: NotificationTable;
  notification_attempts: NotificationAttemptTable;
  alarm_timeline: Omit<AlarmTimelineTable, 'seq'> & { seq: Generated<number> };
  case_reviews: CaseReviewTable;
}
