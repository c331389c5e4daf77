import type { PolicyStep } from '../../domain/escalation.ts';
import type { AlertsContext } from '../context.ts';
import { fireStep } from '../escalation/step-runner.ts';

/**
 * The silent pages of a duress: SMS to the supervisors and to a safe responder of the
 * jurisdiction (P4 holds: the responder is chosen like any other, aggressors skipped). Never the
 * contacts, never a voice call and never the device: a phone ringing or a message arriving near
 * the person could tell the aggressor the centre knows.
 */
const SILENT_STEPS: PolicyStep[] = [
  { afterS: 0, target: 'supervisor', channel: 'sms', untilAcknowledged: false, onDispatch: false },
  { afterS: 0, target: 'responder', channel: 'sms', untilAcknowledged: false, onDispatch: false },
];
/** Indexes past any policy's own steps, so the evidence tells the duress pages apart. */
const FIRST_INDEX = 1000;

/**
 * Escalates an alarm under duress once, however many times or ways the duress is recorded:
 * raises it to critical, notes it on the timeline and pages silently, all in one commit.
 * Returns false when the alarm had already been escalated for duress (or does not exist).
 */
export async function escalateDuress(ctx: AlertsContext, alarmId: string, source: 'answer' | 'device', by: string): Promise<boolean> {
  const { alarms, escalationSteps, securityAnswers } = ctx.repos;
  const now = ctx.clock.now();
  const escalated = await alarms.transaction(async (tx) => {
    const alarm = await alarms.get(alarmId, tx);
    if (!alarm || alarm.state === 'resolved') return false;
    if (!(await securityAnswers.claimDuress(tx, alarmId, source, by, now))) return false;
    await alarms.raiseToCritical(tx, alarmId, now);
    await alarms.appendTimeline({ alarmId, at: now, kind: 'duress', actor: by, detail: { source, to: 'critical' } }, tx);
    const schedule = SILENT_STEPS.map((step, i) => ({ index: FIRST_INDEX + i, step, dueAt: now }));
    for (const step of await escalationSteps.schedule(tx, alarmId, schedule, null)) await fireStep(tx, ctx, step, now, true);
    return true;
  });
  if (escalated) {
    ctx.events.emit('alarm.escalated', { alarmId, severity: 'critical', reason: 'duress', at: now });
    ctx.logger.warn({ alarmId, source }, 'duress: alarm escalated silently');
    ctx.kick();
  }
  return escalated;
}
