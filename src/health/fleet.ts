import { signalQuality } from '../domain/diagnosis.ts';
import type { LivenessState } from '../domain/liveness.ts';
import type { DeviceDirectory } from './device-directory.ts';
import type { Supervisor } from './supervisor.ts';
import type { TelemetrySummary } from './telemetry.ts';

export interface FleetFilter {
  state?: LivenessState | undefined;
  kind?: string | undefined;
  modelId?: string | undefined;
  stateCode?: string | undefined;
}

export interface FleetItem {
  deviceId: string;
  modelId: string;
  kind: string;
  stateCode: string;
  beneficiaryId: string | null;
  liveness: LivenessState;
  since: string;
  lastSeenAt: string | null;
  battery: number | null;
  signal: string | null;
  onTestUntil: string | null;
}

const iso = (t: number | null | undefined) => (t === null || t === undefined ? null : new Date(t).toISOString());

/** The fleet as technicians triage it, from memory (no database read per request). */
export function fleetList(
  ctx: { directory: DeviceDirectory; supervisor: Supervisor; telemetry: TelemetrySummary },
  filter: FleetFilter,
  now: number,
): FleetItem[] {
  const out: FleetItem[] = [];
  for (const d of ctx.directory.all()) {
    if (filter.kind && d.kind !== filter.kind) continue;
    if (filter.modelId && d.modelId !== filter.modelId) continue;
    if (filter.stateCode && d.stateCode !== filter.stateCode) continue;
    const l = ctx.supervisor.liveness(d.id);
    const state = l?.state ?? 'never_seen';
    if (filter.state && state !== filter.state) continue;
    const hb = ctx.telemetry.latestOf(d.id);
    out.push({
      deviceId: d.id,
      modelId: d.modelId,
      kind: d.kind,
      stateCode: d.stateCode,
      beneficiaryId: d.beneficiaryId,
      liveness: state,
      since: iso(l?.since ?? now) as string,
      lastSeenAt: iso(l?.lastSeenAt),
      battery: hb?.battery ?? null,
      signal: hb ? signalQuality(hb.rssi, hb.bars, hb.network) : null,
      onTestUntil: d.onTestUntil && d.onTestUntil > now ? iso(d.onTestUntil) : null,
    });
  }
  return out.sort((a, b) => a.deviceId.localeCompare(b.deviceId));
}
