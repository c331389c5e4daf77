import type { AlertsTables } from './schema-alerts.ts';
import type { ConsoleTables } from './schema-console.ts';
import type { HardeningTables } from './schema-hardening.ts';
import type { HealthTables } from './schema-health.ts';
import type { IngestTables } from './schema-ingest.ts';
import type { NotesTables } from './schema-notes.ts';
import type {
  AlarmDuressTable,
  AlarmPlanStepTable,
  AlarmPlanTable,
  CasePlanStepTable,
  CheckInTimerTable,
  DevicePathIntervalTable,
  DevicePathTable,
  SecurityAnswerTable,
} from './schema-plans.ts';

/**
 * Table shapes shared by SQLite and PostgreSQL. Times are epoch milliseconds (bigint on
 * PostgreSQL, parsed to numbers), booleans are 0/1, lists and objects are JSON text: one
 * representation that both engines store and compare the same way.
 */
export interface DeviceModelTable {
  id: string;
  kind: string;
  name: string;
  monthly_cost_mxn: number;
  cost_is_sample: number;
  heartbeat_interval_s: number;
  offline_after_s: number;
  alarm_capable: number;
  test_interval_days: number;
  notes: string | null;
  updated_at: number;
}

export interface DeviceTable {
  id: string;
  model_id: string;
  beneficiary_id: string | null;
  state_code: string;
  requested_at: number | null;
  installed_at: number | null;
  retired_at: number | null;
  heartbeat_interval_s: number | null;
  offline_after_s: number | null;
  on_test_until: number | null;
  secret_hash: string;
  created_at: number;
  updated_at: number;
  /** IMEI, serial or DC-09 account for devices behind a protocol gateway (migration 012). */
  hardware_id: string | null;
  /** The `config` downlink not yet acknowledged by the device, as JSON (migration 015). */
  config_pending?: string | null;
  /** When the current test run began (migration 017); null when not on test. */
  on_test_since?: number | null;
}

export interface BeneficiaryTable {
  id: string;
  alias: string;
  full_name: string;
  kind: string;
  state_code: string;
  municipality: string | null;
  risk_level: string;
  language: string;
  presumed_aggressors: string;
  created_at: number;
  updated_at: number;
}

export interface ContactTable {
  id: string;
  beneficiary_id: string;
  name: string;
  phone: string;
  relation: string;
  language: string;
  channels: string;
  priority: number;
  created_at: number;
}

export interface ResponderTable {
  id: string;
  name: string;
  kind: string;
  state_code: string;
  municipality: string | null;
  phone: string;
  escalation_order: number;
  language: string;
  created_at: number;
}

export interface UserTable {
  id: string;
  name: string;
  role: string;
  phone: string | null;
  password_hash: string | null;
  created_at: number;
  disabled_at: number | null;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: number;
  revoked_at: number | null;
}

export interface AuditLogTable {
  seq: number;
  at: number;
  actor_id: string;
  actor_role: string;
  action: string;
  record_type: string;
  record_id: string;
  request_id: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface AlarmTable {
  id: string;
  device_id: string;
  beneficiary_id: string | null;
  kind: string;
  severity: string;
  state: string;
  test: number;
  raised_at: number;
  received_at: number;
  clock_suspect: number;
  /** What a device with a suspect clock claimed; raised_at holds the receive time (migration 014). */
  device_reported_at?: number | null;
  loc: string | null;
  note: string | null;
  raw: string | null;
  /** The protocol frame an alarm came in (hex), for devices behind a protocol gateway (migration 012). */
  frame_hex: string | null;
  press_count: number;
  last_press_at: number;
  policy: string | null;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  dispatched_at: number | null;
  dispatched_by: string | null;
  on_scene_at: number | null;
  on_scene_by: string | null;
  resolved_at: number | null;
  resolved_by: string | null;
  outcome: string | null;
  resolution_note: string | null;
  updated_at: number;
}

export interface AlarmPressTable {
  device_id: string;
  device_alarm_id: string;
  alarm_id: string;
  device_ts: number;
  received_at: number;
}

/** Every table; each part declares its own in schema-<part>.ts. */
export interface Database extends IngestTables, AlertsTables, HealthTables, ConsoleTables, NotesTables, HardeningTables {
  device_models: DeviceModelTable;
  devices: DeviceTable;
  beneficiaries: BeneficiaryTable;
  contacts: ContactTable;
  responders: ResponderTable;
  users: UserTable;
  api_tokens: ApiTokenTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  alarms: AlarmTable;
  alarm_presses: AlarmPressTable;
  alarm_plans: AlarmPlanTable;
  alarm_plan_steps: AlarmPlanStepTable;
  case_plan_steps: CasePlanStepTable;
  security_answers: SecurityAnswerTable;
  alarm_duress: AlarmDuressTable;
  check_in_timers: CheckInTimerTable;
  device_paths: DevicePathTable;
  device_path_intervals: DevicePathIntervalTable;
}
