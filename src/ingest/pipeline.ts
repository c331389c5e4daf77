import type { IngestContext, Uplink } from './context.ts';
import { handleAlarm } from './handlers/alarm.ts';
import { handleDeviceEvent } from './handlers/event.ts';
import { handleHeartbeat } from './handlers/heartbeat.ts';
import { handleStatus } from './handlers/status.ts';

/**
 * One message kind = one handler, chosen by a single switch (as aedes does per packet type).
 * Returns a promise only for what must be durable before the device's PUBACK (alarms, P1);
 * the rest is handled synchronously.
 */
export function handleUplink(ctx: IngestContext, u: Uplink): Promise<void> | undefined {
  switch (u.kind) {
    case 'alarm':
      return handleAlarm(ctx, u);
    case 'heartbeat':
      handleHeartbeat(ctx, u);
      return undefined;
    case 'event':
      handleDeviceEvent(ctx, u);
      return undefined;
    case 'status':
      handleStatus(ctx, u);
      return undefined;
  }
}
