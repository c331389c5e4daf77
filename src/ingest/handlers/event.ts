import { deviceEventSchema, normalizeDeviceTime } from '../../domain/wire.ts';
import { describeIssues, type IngestContext, parseJson, reject, type Uplink } from '../context.ts';

/**
 * `v1/devices/{id}/event`: tamper, power lost, camera blind… Never throttled: after an alarm,
 * one of these may mean the person was seized (docs/architecture.md, "The alarm's path").
 */
export function handleDeviceEvent(ctx: IngestContext, u: Uplink): void {
  const json = parseJson(u.payload);
  if (!json.ok) {
    reject(ctx, u, 'invalid_json', json.detail);
    return;
  }
  const parsed = deviceEventSchema.safeParse(json.value);
  if (!parsed.success) {
    reject(ctx, u, 'invalid_fields', describeIssues(parsed.error.issues));
    return;
  }

  const ev = parsed.data;
  const { at, clockSuspect } = normalizeDeviceTime(ev.ts, u.receivedAt);
  if (
    !ctx.telemetry.write({
      deviceId: u.deviceId,
      at,
      receivedAt: u.receivedAt,
      kind: 'event',
      clockSuspect,
      event: ev.kind,
      detail: ev.detail,
    })
  ) {
    ctx.metrics.telemetryDropped.inc({ sink: 'buffer' });
  }
  ctx.metrics.messages.inc({ kind: 'event' });
  ctx.events.emit('device.event.received', {
    deviceId: u.deviceId,
    kind: ev.kind,
    at,
    receivedAt: u.receivedAt,
    clockSuspect,
    detail: ev.detail ?? null,
  });
}
