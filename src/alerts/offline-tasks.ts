import { DEVICE_OFFLINE_TASK } from '../domain/alarm.ts';
import { newId } from '../store/index.ts';
import { type AlertsContext, ENGINE_ACTOR } from './context.ts';
import { openAlarm } from './escalation/open-alarm.ts';
import { applyTransition } from './lifecycle.ts';

/**
 * P3: a silent device is an unprotected person. Opens an operator task to check on the
 * beneficiary (an alarm of kind device_offline, see src/alerts/README.md), paged with the
 * lower-priority device_offline policy; one open task per device.
 */
export async function openOfflineTask(
  ctx: AlertsContext,
  deviceId: string,
  beneficiaryId: string | null,
  at: number,
): Promise<string | undefined> {
  const { alarms } = ctx.repos;
  const ben = beneficiaryId || (await alarms.beneficiaryOfDevice(deviceId));
  if (!ben) return undefined;
  const existing = await alarms.openOf(deviceId, DEVICE_OFFLINE_TASK);
  if (existing[0]) return existing[0];
  const now = ctx.clock.now();
  const id = newId('tsk');
  if (!(await alarms.openTask({ id, deviceId, beneficiaryId: ben, kind: DEVICE_OFFLINE_TASK, raisedAt: at, now }))) return undefined;
  await alarms.appendTimeline({
    alarmId: id,
    at: now,
    kind: 'task_opened',
    actor: ENGINE_ACTOR,
    detail: { reason: 'device silent', silentSince: at },
  });
  await openAlarm(ctx, id);
  return id;
}

/** The device is back: its check-on-the-person task closes by itself as technical. */
export async function closeOfflineTask(ctx: AlertsContext, deviceId: string): Promise<void> {
  for (const id of await ctx.repos.alarms.openOf(deviceId, DEVICE_OFFLINE_TASK)) {
    await applyTransition(
      ctx,
      id,
      { type: 'resolve', outcome: 'technical' },
      { id: ENGINE_ACTOR, via: 'system' },
      'device recovered',
    ).catch(() => undefined);
  }
}
