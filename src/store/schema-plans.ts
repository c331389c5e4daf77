/** Tables of issue 18 (migration 018-action-plans). */
export interface AlarmPlanTable {
  alarm_id: string;
  /** Null when no plan file covers the kind and the plan holds case additions only. */
  plan_name: string | null;
  attached_at: number;
}

export interface AlarmPlanStepTable {
  id: string;
  alarm_id: string;
  step_key: string;
  step_index: number;
  type: string;
  title: string;
  /** JSON array of step keys. */
  after: string;
  source: string;
  status: string;
  outcome: string | null;
  reason: string | null;
  marked_by: string | null;
  marked_at: number | null;
}

export interface CasePlanStepTable {
  id: string;
  beneficiary_id: string;
  /** The step as JSON (src/domain/action-plan.ts planStepSchema). */
  step: string;
  /** JSON array of alarm kinds, or null for every kind. */
  kinds: string | null;
  created_by: string;
  created_at: number;
}

export interface SecurityAnswerTable {
  beneficiary_id: string;
  security_hash: string;
  duress_hash: string;
  updated_by: string;
  updated_at: number;
}

export interface AlarmDuressTable {
  alarm_id: string;
  source: string;
  recorded_by: string;
  at: number;
}

export interface CheckInTimerTable {
  id: string;
  beneficiary_id: string;
  destination: string | null;
  due_at: number;
  state: string;
  set_by: string;
  set_via: string;
  alarm_id: string | null;
  closed_by: string | null;
  closed_at: number | null;
  created_at: number;
}

export interface DevicePathTable {
  device_id: string;
  path: string;
  window_s: number;
  last_heard_at: number | null;
  lost: number;
  declared_at: number;
}

/** Migration 020-path-history: each declared path's up/down intervals (issue 18 §5). */
export interface DevicePathIntervalTable {
  id: string;
  device_id: string;
  path: string;
  /** `up` or `down`. */
  state: string;
  started_at: number;
  /** null while the path is still in that state. */
  ended_at: number | null;
}
