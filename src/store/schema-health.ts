/**
 * Tables owned by src/health (migration 005-health). Times are epoch milliseconds. Reports are
 * computed from `health_intervals` (docs/architecture.md: transitions are kept as intervals).
 */

/** The current liveness of each supervised device (the supervisor rebuilds from it at start). */
export interface HealthLivenessTable {
  device_id: string;
  state: string;
  since: number;
  last_seen_at: number | null;
  window_from: number | null;
  updated_at: number;
}

/** One row per liveness state a device was in; `ended_at` null while it still is. */
export interface HealthIntervalTable {
  id: string;
  device_id: string;
  state: string;
  started_at: number;
  ended_at: number | null;
}

/** Technician incidents and tasks: `offline` (closed by recovery) and `test_overdue`. */
export interface HealthIncidentTable {
  id: string;
  device_id: string;
  kind: string;
  opened_at: number;
  closed_at: number | null;
  duration_ms: number | null;
  closed_reason: string | null;
}

/** A beneficiary whose alarm-capable devices were all offline. */
export interface HealthProtectionGapTable {
  id: string;
  beneficiary_id: string;
  opened_at: number;
  closed_at: number | null;
}

/** Centinela's own heartbeat: one row, written periodically; a restart turns the gap into an outage. */
export interface HealthCentreAliveTable {
  id: number;
  alive_at: number;
  started_at: number;
}

export interface HealthCentreOutageTable {
  id: string;
  started_at: number;
  ended_at: number;
}

export interface HealthMaintenanceTable {
  id: string;
  device_id: string;
  starts_at: number;
  ends_at: number;
  reason: string | null;
  created_by: string;
  created_at: number;
}

export interface HealthJobRunTable {
  id: string;
  job: string;
  started_at: number;
  finished_at: number | null;
  outcome: string;
  error: string | null;
}

/** Heartbeats received per device and UTC day (for heartbeat delivery and billed-but-silent). */
export interface HealthHeartbeatDayTable {
  device_id: string;
  day: number;
  received: number;
  clock_suspect: number;
}

/** A thinned history of heartbeats per device, for diagnosis (battery drain, signal, delay). */
export interface HealthSampleTable {
  device_id: string;
  at: number;
  received_at: number;
  battery: number;
  charging: number;
  network: string;
  rssi: number | null;
  bars: number | null;
}

/** Device events health diagnoses from (reboots, low battery, power) and ingest rejections. */
export interface HealthDeviceEventTable {
  id: string;
  device_id: string;
  kind: string;
  at: number;
  detail: string | null;
}

export interface HealthReportSnapshotTable {
  id: string;
  report: string;
  period_from: number;
  period_to: number;
  group_by: string;
  created_at: number;
  body: string;
}

/** Issue 19: a supervisor's proposed change of measure on a case review, with the verdicts it rested on (JSON). */
export interface CaseReviewSuggestionTable {
  id: string;
  case_review_id: string;
  beneficiary_id: string;
  suggested_by: string;
  suggested_at: number;
  suggestion: string;
  verdicts: string;
}

export interface HealthTables {
  case_review_suggestions: CaseReviewSuggestionTable;
  health_liveness: HealthLivenessTable;
  health_intervals: HealthIntervalTable;
  health_incidents: HealthIncidentTable;
  health_protection_gaps: HealthProtectionGapTable;
  health_centre_alive: HealthCentreAliveTable;
  health_centre_outages: HealthCentreOutageTable;
  health_maintenance: HealthMaintenanceTable;
  health_job_runs: HealthJobRunTable;
  health_heartbeat_days: HealthHeartbeatDayTable;
  health_samples: HealthSampleTable;
  health_device_events: HealthDeviceEventTable;
  health_report_snapshots: HealthReportSnapshotTable;
}
