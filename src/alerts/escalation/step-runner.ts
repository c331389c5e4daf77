import { decideStep } from '../../domain/escalation.ts';
import type { AlarmForMessages, EscalationStep, Tx } from '../../store/index.ts';
import { type AlertsContext, ENGINE_ACTOR } from '../context.ts';
import { type Pages, pagesForStep } from './recipients.ts';

/**
 * Runs one step in the caller's transaction: asks the pure core whether it pages and when it
 * runs next, queues the pages on the outbox, notes the timeline. `forced`: the operator
 * dispatched, so the responder step fires now.
 */
export async function fireStep(
  tx: Tx,
  ctx: AlertsContext,
  step: EscalationStep,
  now: number,
  forced: boolean,
  /** The alarm with its person, already read in `tx` (the steps that fire as an alarm opens share it). */
  known?: AlarmForMessages,
): Promise<Pages | undefined> {
  const { alarms, escalationSteps } = ctx.repos;
  const a = known ?? (await alarms.forMessages(step.alarmId, tx));
  if (!a) return void (await escalationSteps.finish(tx, step.id, now, 'alarm missing'));
  const decision = forced ? { fire: true as const, nextDueAt: null } : decideStep(step.step, a.alarm, now);
  if (!decision.fire) return void (await escalationSteps.finish(tx, step.id, now, decision.reason));

  const { target, channel } = step.step;
  const pages = await pagesForStep(tx, ctx, a, step.step, step.id);
  await queuePages(tx, ctx, a.alarm.id, pages, now);
  await alarms.appendTimeline(
    {
      alarmId: a.alarm.id,
      at: now,
      kind: 'step_fired',
      actor: ENGINE_ACTOR,
      detail: { step: step.index, target, channel, late: Math.max(0, now - (step.dueAt ?? now)), forced },
    },
    tx,
  );
  await escalationSteps.recordFiring(tx, step, now, decision.nextDueAt);
  ctx.metrics.steps.inc({ target });
  publishNotes(ctx, a.alarm.id, pages);
  return pages;
}

/** Queues a step's messages on the outbox and writes its notes on the timeline, in `tx`. */
export async function queuePages(tx: Tx, ctx: AlertsContext, alarmId: string, pages: Pages, now: number): Promise<void> {
  const { alarms, outbox } = ctx.repos;
  const note = (kind: string, detail: Record<string, unknown>) =>
    alarms.appendTimeline({ alarmId, at: now, kind, actor: ENGINE_ACTOR, detail }, tx);
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
}

/** Operators see the skip of an aggressor responder at once, not only in the evidence (P4). */
export function publishNotes(ctx: AlertsContext, alarmId: string, pages: Pages): void {
  for (const n of pages.notes) ctx.hub.publish({ event: `alarm.${n.kind}`, data: { alarmId, ...n.detail }, personal: true });
}
