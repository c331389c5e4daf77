import { type Diagnosis, diagnose } from '../domain/diagnosis.ts';
import { notFound } from '../domain/errors.ts';
import type { Store } from '../store/index.ts';
import type { DeviceDirectory } from './device-directory.ts';
import type { Supervisor } from './supervisor.ts';
import type { TelemetrySummary } from './telemetry.ts';

const DAY = 86_400_000;
const LOOK_BACK_DAYS = 7;

export type DeviceDiagnosis = Diagnosis & { deviceId: string; modelId: string; kind: string; onTestUntil: string | null };

/** P6: a diagnosis is about the device only — nothing that leads to the person. */
export async function diagnoseDevice(
  ctx: { store: Store; directory: DeviceDirectory; supervisor: Supervisor; telemetry: TelemetrySummary },
  deviceId: string,
  now: number,
): Promise<DeviceDiagnosis> {
  const meta = ctx.directory.get(deviceId) ?? (await ctx.directory.loadOne(deviceId));
  if (!meta) throw notFound('device', deviceId);
  const db = ctx.store.db;
  const samples = await db
    .selectFrom('health_samples')
    .selectAll()
    .where('device_id', '=', deviceId)
    .where('received_at', '>=', now - 3 * DAY)
    .orderBy('received_at')
    .execute();
  const latest = ctx.telemetry.latestOf(deviceId);
  const series = samples.map((s) => ({
    at: s.at,
    receivedAt: s.received_at,
    battery: s.battery,
    charging: s.charging === 1,
    network: s.network,
    rssi: s.rssi,
    bars: s.bars,
  }));
  if (latest && (series.at(-1)?.receivedAt ?? 0) < latest.receivedAt) series.push(latest);

  const lookFrom = Math.floor((now - LOOK_BACK_DAYS * DAY) / DAY) * DAY;
  const days = await db
    .selectFrom('health_heartbeat_days')
    .select(['received', 'clock_suspect'])
    .where('device_id', '=', deviceId)
    .where('day', '>=', lookFrom)
    .execute();
  const supervisedFrom = Math.max(lookFrom, meta.installedAt ?? now);
  const expected = Math.max(0, now - supervisedFrom) / (meta.window.heartbeatIntervalS * 1000);
  const events = await db
    .selectFrom('health_device_events')
    .select(['kind', 'at', 'detail'])
    .where('device_id', '=', deviceId)
    .where('at', '>=', now - LOOK_BACK_DAYS * DAY)
    .where('kind', 'in', ['reboot', 'ingest_rejected'])
    .orderBy('at')
    .execute();
  const liveness = ctx.supervisor.liveness(deviceId);
  const diagnosis = diagnose({
    now,
    kind: meta.kind,
    heartbeatIntervalS: meta.window.heartbeatIntervalS,
    liveness: liveness ? { state: liveness.state, since: liveness.since, lastSeenAt: liveness.lastSeenAt } : null,
    samples: series,
    heartbeats: {
      received: days.reduce((s, d) => s + d.received, 0),
      expected,
      clockSuspect: days.reduce((s, d) => s + d.clock_suspect, 0),
    },
    reboots: events.filter((e) => e.kind === 'reboot').map((e) => e.at),
    // Ingest's rejections reach health as 'ingest.rejected' events and are recorded here.
    ingestErrors: events
      .filter((e) => e.kind === 'ingest_rejected')
      .map((e) => ({ at: e.at, reason: (JSON.parse(e.detail ?? '{}') as { reason?: string }).reason ?? 'rejected' })),
  });
  return {
    deviceId,
    modelId: meta.modelId,
    kind: meta.kind,
    onTestUntil: meta.onTestUntil && meta.onTestUntil > now ? new Date(meta.onTestUntil).toISOString() : null,
    ...diagnosis,
  };
}
