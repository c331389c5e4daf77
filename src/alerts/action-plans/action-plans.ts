import {
  type ActionPlan,
  checkMark,
  type MarkInput,
  openSteps,
  type PlanStep,
  type PlanView,
  planProblem,
} from '../../domain/action-plan.ts';
import { CentinelaError, notFound } from '../../domain/errors.ts';
import type { Actor, Alarm, CasePlanStep, Tx } from '../../store/index.ts';
import { toIso } from '../../store/index.ts';
import type { AlertsContext } from '../context.ts';
import type { ActedBy } from '../lifecycle.ts';
import { describeOpen, stepsFor } from './plan-steps.ts';
import { type PlanStepsReport, planStepsReport } from './skipped-report.ts';

const stateConflict = (message: string, details: Record<string, unknown>) =>
  new CentinelaError('CENTINELA_ERR_STATE_CONFLICT', message, details);

/**
 * Works alarms' action plans (issue 18): copies the plan onto an alarm, marks steps done or
 * skipped (by whom, when, on the timeline), refuses a resolution while steps are open, and lets
 * a supervisor override with a reason.
 */
export class ActionPlans {
  constructor(
    private readonly ctx: AlertsContext,
    readonly plans: ActionPlan[],
  ) {}

  /** Copies the plan onto the alarm if it has none yet (idempotent; one node wins). */
  async ensure(alarmId: string, tx?: Tx, known?: Alarm): Promise<void> {
    const { alarms, actionPlans } = this.ctx.repos;
    if (!tx) return alarms.transaction((t) => this.ensure(alarmId, t));
    if (await actionPlans.header(alarmId, tx)) return;
    const alarm = known ?? (await alarms.get(alarmId, tx));
    if (!alarm) return;
    const additions = alarm.beneficiaryId ? await actionPlans.caseSteps(alarm.beneficiaryId, tx) : [];
    const { planName, steps } = stepsFor(this.plans, alarm.kind, additions);
    await actionPlans.attach(tx, alarmId, planName, steps, this.ctx.clock.now());
  }

  async view(alarmId: string): Promise<PlanView> {
    await this.ensure(alarmId);
    const header = await this.ctx.repos.actionPlans.header(alarmId);
    const steps = await this.ctx.repos.actionPlans.steps(alarmId);
    return { name: header?.planName ?? null, steps: steps.map((s) => ({ ...s, at: toIso(s.at) })), open: openSteps(steps).length };
  }

  /** Marks one step done (with its outcome) or skipped (with the reason). */
  async mark(alarmId: string, key: string, input: MarkInput, by: ActedBy): Promise<PlanView> {
    const { alarms, actionPlans } = this.ctx.repos;
    const now = this.ctx.clock.now();
    await alarms.transaction(async (tx) => {
      const alarm = await this.openAlarm(tx, alarmId);
      await this.ensure(alarm.id, tx);
      const check = checkMark(await actionPlans.steps(alarmId, tx), key);
      if (!check.ok) {
        if (check.why === 'unknown') throw notFound('plan step', key);
        if (check.why === 'closed') throw stateConflict(`step "${key}" is already closed`, { step: key });
        throw stateConflict(`step "${key}" comes after ${(check.waitingFor ?? []).map((k) => `"${k}"`).join(', ')}, still open`, {
          step: key,
          waitingFor: check.waitingFor,
        });
      }
      const change =
        input.type === 'done'
          ? { status: 'done' as const, outcome: input.outcome, reason: null }
          : { status: 'skipped' as const, outcome: null, reason: input.reason };
      if (!(await actionPlans.mark(tx, alarmId, key, change, by.id, now)))
        throw stateConflict(`step "${key}" was closed meanwhile`, { step: key });
      await alarms.appendTimeline(
        {
          alarmId,
          at: now,
          kind: input.type === 'done' ? 'plan_step_done' : 'plan_step_skipped',
          actor: by.id,
          detail: {
            step: key,
            title: check.step.title,
            via: by.via,
            ...(input.type === 'done' ? { outcome: input.outcome } : { reason: input.reason }),
          },
        },
        tx,
      );
    });
    this.ctx.hub.publish({ event: 'alarm.plan_changed', data: { alarmId, step: key, at: now }, personal: false });
    return this.view(alarmId);
  }

  /** A supervisor closes every open step as skipped, with the reason, so the alarm can be resolved. */
  async override(alarmId: string, reason: string, by: ActedBy): Promise<PlanView> {
    const { alarms, actionPlans } = this.ctx.repos;
    const now = this.ctx.clock.now();
    await alarms.transaction(async (tx) => {
      await this.openAlarm(tx, alarmId);
      await this.ensure(alarmId, tx);
      const open = openSteps(await actionPlans.steps(alarmId, tx));
      if (open.length === 0) throw stateConflict('no step of the plan is open', {});
      for (const s of open)
        await actionPlans.mark(tx, alarmId, s.key, { status: 'skipped', outcome: null, reason: `override: ${reason}` }, by.id, now);
      await alarms.appendTimeline(
        { alarmId, at: now, kind: 'plan_overridden', actor: by.id, detail: { reason, steps: open.map((s) => s.key), via: by.via } },
        tx,
      );
    });
    this.ctx.hub.publish({ event: 'alarm.plan_changed', data: { alarmId, at: now }, personal: false });
    return this.view(alarmId);
  }

  /**
   * The resolution gate, inside the resolving transaction: open steps refuse it (409 naming
   * them). The engine's own resolutions (a device back online closes its task) are not held.
   */
  async assertClosed(tx: Tx, alarm: Alarm, by: ActedBy): Promise<void> {
    if (by.via === 'system') return;
    await this.ensure(alarm.id, tx);
    const open = openSteps(await this.ctx.repos.actionPlans.steps(alarm.id, tx));
    if (open.length > 0)
      throw stateConflict(`the action plan has open steps: ${describeOpen(open)}; mark each done or skipped, or a supervisor overrides`, {
        openSteps: open.map((s) => s.key),
      });
  }

  /** Reports (issue 18): plan steps skipped per alarm kind in a period (src/alerts/action-plans/skipped-report.ts). */
  skippedReport(period: { from: number; to: number; timeZone: string }, suppressSmall: boolean): Promise<PlanStepsReport> {
    return planStepsReport(this.ctx.repos, period, suppressSmall);
  }

  /** A case's additions (a read of the person's record, audited: P6). */
  async caseSteps(actor: Actor, beneficiaryId: string): Promise<CasePlanStep[]> {
    await this.requireBeneficiary(beneficiaryId);
    await this.ctx.repos.audit.record(actor, { action: 'read', recordType: 'case_plan_steps', recordId: beneficiaryId });
    return this.ctx.repos.actionPlans.caseSteps(beneficiaryId);
  }

  /**
   * Adds a step to a case's plans. Refused when, with the plan of some kind it applies to, it
   * would wait for a step that does not exist or close a cycle: it could never be marked.
   */
  async addCaseStep(actor: Actor, beneficiaryId: string, step: PlanStep, kinds: string[] | null): Promise<CasePlanStep> {
    await this.requireBeneficiary(beneficiaryId);
    const existing = await this.ctx.repos.actionPlans.caseSteps(beneficiaryId);
    if (existing.some((c) => c.step.id === step.id))
      throw new CentinelaError('CENTINELA_ERR_CONFLICT', `the case already has a step "${step.id}"`, { step: step.id });
    const applies = kinds ?? [...new Set(this.plans.flatMap((p) => p.kinds))];
    for (const kind of applies) {
      const plan = this.plans.find((p) => p.kinds.includes(kind)) ?? this.plans.find((p) => p.kinds.includes('*'));
      const base = (plan?.steps ?? []).filter((s) => s.id !== step.id && !existing.some((c) => c.step.id === s.id));
      const problem = planProblem([...base, ...existing.map((c) => c.step), step]);
      if (problem) throw new CentinelaError('CENTINELA_ERR_VALIDATION', `with the plan for ${kind}: ${problem}`, { kind });
    }
    const added = await this.ctx.repos.actionPlans.addCaseStep(beneficiaryId, step, kinds, actor.id, this.ctx.clock.now());
    await this.ctx.repos.audit.record(actor, {
      action: 'create',
      recordType: 'case_plan_steps',
      recordId: beneficiaryId,
      detail: { step: step.id },
    });
    return added;
  }

  async removeCaseStep(actor: Actor, beneficiaryId: string, id: string): Promise<void> {
    if (!(await this.ctx.repos.actionPlans.removeCaseStep(beneficiaryId, id))) throw notFound('case plan step', id);
    await this.ctx.repos.audit.record(actor, { action: 'delete', recordType: 'case_plan_steps', recordId: beneficiaryId, detail: { id } });
  }

  private async requireBeneficiary(id: string): Promise<void> {
    const known = await this.ctx.repos.alarms.aliases([id]);
    if (!known.has(id)) throw notFound('beneficiary', id);
  }

  private async openAlarm(tx: Tx, alarmId: string): Promise<Alarm> {
    const alarm = await this.ctx.repos.alarms.get(alarmId, tx);
    if (!alarm) throw notFound('alarm', alarmId);
    if (alarm.state === 'resolved') throw stateConflict('the alarm is resolved; its plan can no longer change', { state: alarm.state });
    return alarm;
  }
}
