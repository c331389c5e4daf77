import { type IngestContext, reject, type Uplink } from '../context.ts';

/**
 * `v1/devices/{id}/status` (retained): `online` on connect, `offline` as the last will. Becomes
 * `device.connected` / `device.disconnected`, on change only.
 */
export function handleStatus(ctx: IngestContext, u: Uplink): void {
  const status = u.payload.toString('utf8').trim();
  if (status === 'online') ctx.connections.connected(u.deviceId, u.receivedAt);
  else if (status === 'offline') ctx.connections.disconnected(u.deviceId, u.receivedAt, u.fromWill);
  else {
    reject(ctx, u, 'invalid_status', 'expected "online" or "offline"');
    return;
  }
  ctx.metrics.messages.inc({ kind: 'status' });
}
