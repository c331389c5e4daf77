import type { AlertsContext } from '../context.ts';

const ACTOR = 'system:check-in';
const BATCH = 50;

/**
 * Escalates check-in timers that ran out without a check-in: a panic alarm on the person's
 * device with the stated destination, through the usual escalation (alarm.raised). Runs on the
 * alerts pump; the claim is `FOR UPDATE SKIP LOCKED` on PostgreSQL, so with several nodes each
 * timer escalates once, and a timer that ran out during a restart escalates on the first pass.
 */
export async function runDueCheckIns(ctx: AlertsContext): Promise<number> {
  const { alarms, checkInTimers } = ctx.repos;
  const now = ctx.clock.now();
  if (!(await checkInTimers.anyDue(now))) return 0;
  const raised = await alarms.transaction(async (tx) => {
    const out: { alarmId: string; deviceId: string; beneficiaryId: string; opened: boolean }[] = [];
    for (const timer of await checkInTimers.claimDue(tx, now, BATCH)) {
      const alarm = await checkInTimers.openMissedCheckInAlarm(tx, {
        beneficiaryId: timer.beneficiaryId,
        destination: timer.destination,
        dueAt: timer.dueAt,
        now,
      });
      await checkInTimers.markExpired(tx, timer.id, alarm?.alarmId ?? null, now);
      if (!alarm) {
        // P2: fail toward the alarm — there is no device to hang it on, so say so loudly.
        ctx.logger.error({ timerId: timer.id }, 'check-in missed but the person has no device in service: no alarm could be opened');
        continue;
      }
      await alarms.appendTimeline(
        {
          alarmId: alarm.alarmId,
          at: now,
          kind: 'check_in_missed',
          actor: ACTOR,
          detail: { timerId: timer.id, destination: timer.destination, dueAt: timer.dueAt },
        },
        tx,
      );
      out.push({ ...alarm, beneficiaryId: timer.beneficiaryId });
    }
    return out;
  });
  for (const a of raised) {
    if (!a.opened) continue;
    ctx.events.emit('alarm.raised', {
      alarmId: a.alarmId,
      deviceId: a.deviceId,
      beneficiaryId: a.beneficiaryId,
      kind: 'panic',
      severity: 'high',
      test: false,
      at: now,
      receivedAt: now,
      joined: false,
      pressCount: 0,
      loc: null,
    });
  }
  return raised.length;
}
