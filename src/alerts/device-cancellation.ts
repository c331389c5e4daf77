import type { AlertsContext } from './context.ts';

/**
 * A device that cancels its SOS (Garmin inReach "Cancel SOS", docs/protocols.md) does not close
 * the alarm: a person under duress may be made to cancel. The operator sees the cancellation on the
 * open SOS alarm's timeline and decides; nothing closes silently.
 */
export async function noteDeviceCancellation(ctx: AlertsContext, deviceId: string, at: number, detail: unknown): Promise<void> {
  for (const alarmId of await ctx.repos.alarms.openOf(deviceId, 'sos')) {
    await ctx.repos.alarms.appendTimeline({ alarmId, at, kind: 'device_cancelled', actor: `device:${deviceId}`, detail: { detail } });
  }
}
