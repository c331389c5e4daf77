/**
 * The health wing's records as the rest of the code sees them: incidents, maintenance windows,
 * the registry as supervision reads it, liveness transitions, heartbeat summaries and job runs.
 * The store maps its rows to these once (src/store/repositories/health-*.ts); nothing here does I/O.
 */
import type { HeartbeatSample } from './heartbeat-sample.ts';
import type { Liveness, LivenessState } from './liveness.ts';

/** `path_degraded`: a dual-path device lost one of its bearers (issue 18, src/domain/device-paths.ts). */
export const INCIDENT_KINDS = ['offline', 'gateway_down', 'test_overdue', 'path_degraded'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/**
 * The technician incident a liveness state opens (P3: a silent device; issue 17: the gateway it is
 * heard through is down), closed when the device leaves that state.
 */
export function incidentOfState(state: LivenessState): IncidentKind | null {
  if (state === 'offline') return 'offline';
  if (state === 'gateway_down') return 'gateway_down';
  return null;
}

/** Why such an incident closed: the device was heard again, or the state it moved to. */
export const incidentClosedReason = (to: LivenessState): string => (to === 'online' ? 'recovered' : to);

/** A technician incident (P3: a device missed its window) or task (a test alarm overdue). */
export interface Incident {
  id: string;
  deviceId: string;
  kind: IncidentKind;
  openedAt: string;
  closedAt: string | null;
  durationMs: number | null;
  closedReason: string | null;
}

export interface IncidentFilter {
  open?: boolean | undefined;
  kind?: IncidentKind | undefined;
  deviceId?: string | undefined;
  limit?: number | undefined;
}

/** Planned maintenance: the device is out of service and not supervised during it. */
export interface MaintenanceWindow {
  id: string;
  deviceId: string;
  startsAt: number;
  endsAt: number;
  reason: string | null;
}

/** A device as supervision reads it from the registry: the model's window unless the device overrides it. */
export interface SupervisedDevice {
  id: string;
  modelId: string;
  kind: string;
  beneficiaryId: string | null;
  stateCode: string;
  alarmCapable: boolean;
  testIntervalDays: number;
  installedAt: number | null;
  retiredAt: number | null;
  onTestUntil: number | null;
  heartbeatIntervalS: number;
  offlineAfterS: number;
  updatedAt: number;
}

/** One liveness transition and what it implies, written together. */
export interface TransitionRecord {
  deviceId: string;
  from: LivenessState;
  to: LivenessState;
  at: number;
  state: Liveness;
  /** The beneficiary's protection gap opened or closed by this transition. */
  gap: { beneficiaryId: string; change: 'opened' | 'closed' } | null;
}

/** A device's last-heard time and window start, saved in batches. */
export interface LastSeen {
  deviceId: string;
  lastSeenAt: number | null;
  windowFrom: number | null;
  now: number;
}

/** One heartbeat as health keeps it: the diagnosis sample plus whether the device clock was trusted. */
export type LatestHeartbeat = HeartbeatSample & { clockSuspect: boolean };

/** Heartbeats received per device and UTC day (epoch ms of 00:00 UTC). */
export interface HeartbeatCount {
  deviceId: string;
  day: number;
  received: number;
  clockSuspect: number;
}

/** A device event health diagnoses from (reboots, power) or an ingest rejection. */
export interface DeviceEventRecord {
  kind: string;
  at: number;
  detail: Record<string, unknown> | null;
}

export interface JobRun {
  startedAt: number;
  finishedAt: number | null;
  outcome: string;
  error: string | null;
}
