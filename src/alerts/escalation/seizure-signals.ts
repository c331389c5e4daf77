import { lateAfterMs } from '../../domain/liveness.ts';
import type { EventBus } from '../../events/index.ts';
import type { AlertsContext } from '../context.ts';
import { checkSeizure } from './seizure.ts';

const SATELLITE_PHONE = 'satellite_phone';

/**
 * Which device signals count as a possible seizure after an alarm (issue 14 §7).
 *
 * - Tamper and power loss count at once.
 * - Silence counts when health confirms it (`device.silent`: the supervision window, or the
 *   grace after a last will, passed without a word from the device).
 * - A last will alone does not: on a cellular network a device often reconnects before its old
 *   connection closes, and on several nodes a dead node's wills arrive minutes later for devices
 *   already connected elsewhere. Nothing in the store tells "connected elsewhere" at the instant
 *   the will arrives, so the will is remembered and becomes the signal only if health then finds
 *   the device silent (its grace is one heartbeat interval, src/health/device-directory.ts); the
 *   window is measured from the will, when the device vanished.
 * - A satellite phone checks in hourly: 15 minutes of silence is normal, so its signal is a missed
 *   expected check-in (liveness `late`) after an alarm, within one check-in window of the alarm.
 */
export function wireSeizureSignals(ctx: AlertsContext, events: EventBus): (() => void)[] {
  const wills = new Map<string, number>();
  // Wills and reconnections from every node: the silence is confirmed on the supervising one.
  const any = { origin: 'any' } as const;
  return [
    events.on('device.event.received', async (e) => {
      if (e.kind === 'tamper' || e.kind === 'power_lost') await checkSeizure(ctx, e.deviceId, undefined, e.kind, e.receivedAt);
    }),
    events.on(
      'device.disconnected',
      (e) => {
        if (e.lastWill) wills.set(e.deviceId, e.at);
        else wills.delete(e.deviceId);
      },
      any,
    ),
    events.on(
      'device.connected',
      (e) => {
        wills.delete(e.deviceId);
      },
      any,
    ),
    events.on('device.silent', async (e) => {
      const will = wills.get(e.deviceId);
      wills.delete(e.deviceId);
      if (will !== undefined && will <= e.at) await checkSeizure(ctx, e.deviceId, e.beneficiaryId, 'disconnected', will);
      else await checkSeizure(ctx, e.deviceId, e.beneficiaryId, 'silent', e.at);
    }),
    events.on('device.state.changed', async (e) => {
      if (e.to === 'online') wills.delete(e.deviceId);
      if (e.to === 'late') await checkMissedCheckIn(ctx, e.deviceId, e.beneficiaryId, e.at);
    }),
  ];
}

/** A satellite phone that missed the check-in expected after an alarm: the seizure signal for it. */
export async function checkMissedCheckIn(
  ctx: AlertsContext,
  deviceId: string,
  beneficiaryId: string | null,
  at: number,
): Promise<string[]> {
  const device = await ctx.repos.devices.get(deviceId);
  if (!device) return [];
  const model = await ctx.repos.deviceModels.get(device.modelId);
  if (model?.kind !== SATELLITE_PHONE) return [];
  const window = {
    heartbeatIntervalS: device.heartbeatIntervalS ?? model.heartbeatIntervalS,
    offlineAfterS: device.offlineAfterS ?? model.offlineAfterS,
    graceS: 0,
  };
  // The alarm itself was the last thing heard (it counts as seen), so it lies at most one
  // late-threshold before the missed check-in.
  return checkSeizure(ctx, deviceId, beneficiaryId, 'missed_checkin', at, lateAfterMs(window) + 60_000);
}
