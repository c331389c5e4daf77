import { type Diagnosis, diagnose } from '../domain/diagnosis.ts';
import { notFound } from '../domain/errors.ts';
import type { Repositories } from '../store/index.ts';
import type { DeviceDirectory } from './device-directory.ts';
import type { Supervisor } from './supervisor.ts';
import type { TelemetrySummary } from './telemetry.ts';

const DAY = 86_400_000;
const LOOK_BACK_DAYS = 7;

export type DeviceDiagnosis = Diagnosis & { deviceId: string; modelId: string; kind: string; onTestUntil: string | null };

/** P6: a diagnosis is about the device only — nothing that leads to the person. */
export async function diagnoseDevice(
  ctx: { stored: Repositories['healthTelemetry']; directory: DeviceDirectory; supervisor: Supervisor; telemetry: TelemetrySummary },
  deviceId: string,
  now: number,
): Promise<DeviceDiagnosis> {
  const meta = ctx.directory.get(deviceId) ?? (await ctx.directory.loadOne(deviceId));
  if (!meta) throw notFound('device', deviceId);
  const series = await ctx.stored.samplesSince(deviceId, now - 3 * DAY);
  const latest = ctx.telemetry.latestOf(deviceId);
  if (latest && (series.at(-1)?.receivedAt ?? 0) < latest.receivedAt) series.push(latest);

  const lookFrom = Math.floor((now - LOOK_BACK_DAYS * DAY) / DAY) * DAY;
  const heartbeats = await ctx.stored.heartbeatTotals(deviceId, lookFrom);
  const supervisedFrom = Math.max(lookFrom, meta.installedAt ?? now);
  const expected = Math.max(0, now - supervisedFrom) / (meta.window.heartbeatIntervalS * 1000);
  const events = await ctx.stored.events(deviceId, now - LOOK_BACK_DAYS * DAY, ['reboot', 'ingest_rejected']);
  const liveness = ctx.supervisor.liveness(deviceId);
  const diagnosis = diagnose({
    now,
    kind: meta.kind,
    heartbeatIntervalS: meta.window.heartbeatIntervalS,
    liveness: liveness ? { state: liveness.state, since: liveness.since, lastSeenAt: liveness.lastSeenAt } : null,
    samples: series,
    heartbeats: { ...heartbeats, expected },
    reboots: events.filter((e) => e.kind === 'reboot').map((e) => e.at),
    // Ingest's rejections reach health as 'ingest.rejected' events and are recorded here.
    ingestErrors: events
      .filter((e) => e.kind === 'ingest_rejected')
      .map((e) => ({ at: e.at, reason: typeof e.detail?.reason === 'string' ? e.detail.reason : 'rejected' })),
  });
  return {
    deviceId,
    modelId: meta.modelId,
    kind: meta.kind,
    onTestUntil: meta.onTestUntil && meta.onTestUntil > now ? new Date(meta.onTestUntil).toISOString() : null,
    ...diagnosis,
  };
}
