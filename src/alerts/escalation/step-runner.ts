import { decideStep } from '../../domain/escalation.ts';
import type { EscalationStep, Tx } from '../../store/index.ts';
import { type AlertsContext, ENGINE_ACTOR } from '../context.ts';
import { pagesForStep } from './recipients.ts';

/**
 * Runs one step in the caller's transaction: asks the pure core whether it pages and when it
 * runs next, queues the pages on the outbox, notes the timeline. `forced`: the operator
 * dispatched, so the responder step fires now.
 */
export async function fireStep(tx: Tx, ctx: AlertsContext, step: EscalationStep, now: number, forced: boolean): Promise<void> {
  const { alarms, escalationSteps, outbox } = ctx.repos;
  const a = await alarms.forMessages(step.alarmId, tx);
  if (!a) return escalationSteps.finish(tx, step.id, now, 'alarm missing');
  const decision = forced ? { fire: true as const, nextDueAt: null } : decideStep(step.step, a.alarm, now);
  if (!decision.fire) return escalationSteps.finish(tx, step.id, now, decision.reason);

  const { target, channel } = step.step;
  const pages = await pagesForStep(tx, ctx, a, step.step, step.id);
  const note = (kind: string, detail: Record<string, unknown>) =>
    alarms.appendTimeline({ alarmId: a.alarm.id, at: now, kind, actor: ENGINE_ACTOR, detail }, tx);
  for (const n of pages.notes) await note(n.kind, n.detail);
  for (const n of pages.notifications) {
    const notificationId = await outbox.queue(tx, n, now);
    await note('notification_queued', {
      notificationId,
      target: n.target,
      channel: n.channel,
      recipientType: n.recipientType,
      recipientId: n.recipientId,
    });
  }
  await note('step_fired', { step: step.index, target, channel, late: Math.max(0, now - (step.dueAt ?? now)), forced });
  await escalationSteps.recordFiring(tx, step, now, decision.nextDueAt);
  ctx.metrics.steps.inc({ target });
  // Operators see the skip of an aggressor responder at once, not only in the evidence (P4).
  for (const n of pages.notes) ctx.hub.publish({ event: `alarm.${n.kind}`, data: { alarmId: a.alarm.id, ...n.detail }, personal: true });
}
