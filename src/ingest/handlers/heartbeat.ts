import { heartbeatSchema, normalizeDeviceTime } from '../../domain/wire.ts';
import { describeIssues, type IngestContext, parseJson, reject, type Uplink } from '../context.ts';

/**
 * `v1/devices/{id}/heartbeat`: validated, stored as telemetry, announced. Synchronous on purpose:
 * the fast path holds nothing open, and a shed heartbeat costs a map lookup (P2).
 */
export function handleHeartbeat(ctx: IngestContext, u: Uplink): void {
  const admission = ctx.admission.admit(u.deviceId, u.receivedAt);
  if (admission !== 'accept') {
    ctx.metrics.shed.inc({ reason: admission });
    return;
  }
  const json = parseJson(u.payload);
  if (!json.ok) {
    reject(ctx, u, 'invalid_json', json.detail);
    return;
  }
  const parsed = heartbeatSchema.safeParse(json.value);
  if (!parsed.success) {
    reject(ctx, u, 'invalid_fields', describeIssues(parsed.error.issues));
    return;
  }

  const hb = parsed.data;
  const { at, clockSuspect } = normalizeDeviceTime(hb.ts, u.receivedAt);
  const taken = ctx.telemetry.write({
    deviceId: u.deviceId,
    at,
    receivedAt: u.receivedAt,
    kind: 'heartbeat',
    clockSuspect,
    seq: hb.seq,
    battery: hb.battery,
    charging: hb.charging,
    network: hb.signal.network,
    rssi: hb.signal.rssi,
    bars: hb.signal.bars,
    loc: hb.loc,
    fw: hb.fw,
  });
  if (!taken) ctx.metrics.shed.inc({ reason: 'telemetry_full' });
  ctx.metrics.messages.inc({ kind: 'heartbeat' });
  // A heartbeat is proof of life even when its telemetry could not be buffered (P3).
  ctx.connections.connected(u.deviceId, u.receivedAt);
  ctx.events.emit('heartbeat.received', { deviceId: u.deviceId, at, receivedAt: u.receivedAt, clockSuspect, heartbeat: hb });
}
