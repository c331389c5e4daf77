import { decideStep, initialSchedule, type Policy, type PolicyStep, policyFor } from '../../domain/escalation.ts';
import type { Alarm, AlarmForMessages, EscalationStep, SqliteAlarmOpening } from '../../store/index.ts';
import { stepsFor } from '../action-plans/plan-steps.ts';
import { type AlertsContext, ENGINE_ACTOR } from '../context.ts';
import { buildPages, type Pages } from './pages.ts';
import { ESCALATION_AUDIT_ACTOR } from './recipients.ts';

export interface FiredStep {
  target: PolicyStep['target'];
  pages: Pages;
}

/**
 * The opening of open-alarm.ts on SQLite, in one synchronous better-sqlite3 transaction with
 * statements prepared once (src/store/repositories/alarm-opening-sqlite.ts) and who is paged read
 * from memory: the query builder cost most of an alarm's CPU (bench/alarm-cpu-results.md). Same
 * decisions (the pure core, `buildPages`, `stepsFor`), same rows, same order on the timeline, one
 * commit. Answers the opened alarm and its fired steps, null when there was nothing to open (it
 * has its policy already, or is gone), or undefined when it cannot run now because a transaction
 * of the query builder is open on the connection. Throws, having written nothing, if a write fails.
 */
export function openOnSqlite(
  ctx: AlertsContext,
  store: SqliteAlarmOpening,
  alarmId: string,
  now: number,
): { alarm: Alarm; fired: FiredStep[] } | null | undefined {
  return store.transaction(() => {
    store.registry.refresh();
    const alarm = store.alarm(alarmId);
    if (!alarm || alarm.policy !== null) return null;
    const policy = policyFor(ctx.policies, alarm.kind) as Policy;
    if (!store.startEscalation(alarmId, policy, now)) return null;
    // Steps are timed from when the alarm reached us: late by any downtime, never skipped (P1).
    const schedule = initialSchedule(policy, alarm.receivedAt).map((s) => ({ ...s, step: policy.steps[s.index] as PolicyStep }));
    const steps = store.schedule(alarmId, schedule, alarm.state === 'resolved' ? now : null);
    store.appendTimeline({ alarmId, at: now, kind: 'escalation_started', actor: ENGINE_ACTOR, detail: { policy: policy.name } });
    const due = steps.filter((step) => step.dueAt !== null && step.dueAt <= now);
    const a = due.length > 0 ? store.forMessages(alarm) : undefined;
    const fired: FiredStep[] = [];
    for (const step of due) {
      const f = fireStep(ctx, store, step, now, a as AlarmForMessages);
      if (f) fired.push(f);
    }
    // Issue 18: the operator finds the action plan with the alarm, from the same commit.
    if (ctx.actionPlans) {
      const additions = alarm.beneficiaryId ? store.registry.caseStepsOf(alarm.beneficiaryId) : [];
      const { planName, steps: planSteps } = stepsFor(ctx.actionPlans.plans, alarm.kind, additions);
      store.attachPlan(alarmId, planName, planSteps, ctx.clock.now());
    }
    return { alarm, fired };
  });
}

/** As step-runner.ts `fireStep` (not forced), writing through `store`. */
function fireStep(ctx: AlertsContext, store: SqliteAlarmOpening, step: EscalationStep, now: number, a: AlarmForMessages) {
  const decision = decideStep(step.step, a.alarm, now);
  if (!decision.fire) return void store.finish(step.id, now, decision.reason);
  const { target, channel } = step.step;
  const pages = buildPages(ctx, a, step.step, step.id, store.registry);
  if (pages.contactsRead) store.audit(ESCALATION_AUDIT_ACTOR, pages.contactsRead, ctx.clock.now());
  const note = (kind: string, detail: Record<string, unknown>) =>
    store.appendTimeline({ alarmId: a.alarm.id, at: now, kind, actor: ENGINE_ACTOR, detail });
  for (const n of pages.notes) note(n.kind, n.detail);
  for (const n of pages.notifications) {
    const notificationId = store.queue(n, now);
    note('notification_queued', {
      notificationId,
      target: n.target,
      channel: n.channel,
      recipientType: n.recipientType,
      recipientId: n.recipientId,
    });
  }
  note('step_fired', { step: step.index, target, channel, late: Math.max(0, now - (step.dueAt ?? now)), forced: false });
  store.recordFiring(step, now, decision.nextDueAt);
  return { target, pages };
}
