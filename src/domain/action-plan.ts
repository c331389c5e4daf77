import { z } from 'zod';

/**
 * Action plans (issue 18): the checklist an operator works through on an alarm, per alarm kind,
 * with additions per case. Pure: schemas, ordering rules and the resolution gate; no I/O.
 */
export const PLAN_STEP_TYPES = [
  'call_beneficiary',
  'security_question',
  'call_contact',
  'call_responder',
  'confirm_on_scene',
  'keep_talking',
  'check',
] as const;
export type PlanStepType = (typeof PLAN_STEP_TYPES)[number];

const stepKey = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a step id is lower-case letters, digits, "_" or "-" (at most 64)');

export const planStepSchema = z.strictObject({
  id: stepKey,
  type: z.enum(PLAN_STEP_TYPES, { error: `type must be one of ${PLAN_STEP_TYPES.join(', ')}` }),
  /** What the operator reads; plain text, shown as is. */
  title: z.string().min(1).max(200),
  /** Steps that must be closed (done or skipped) before this one is marked. */
  after: z.array(stepKey).default([]),
});
export type PlanStep = z.infer<typeof planStepSchema>;

export const actionPlanSchema = z
  .strictObject({
    name: z.string().min(1).max(64),
    /** Alarm kinds this plan applies to; `*` is the fallback. */
    kinds: z.array(z.string().min(1)).min(1),
    steps: z.array(planStepSchema).min(1, 'a plan needs at least one step'),
  })
  .superRefine((plan, ctx) => {
    const problem = planProblem(plan.steps);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['steps'] });
  });
export type ActionPlan = z.infer<typeof actionPlanSchema>;

/**
 * Why a list of steps cannot be worked, or undefined: a repeated id, an `after` naming no step,
 * or a cycle (a step that waits, directly or not, for itself could never be closed).
 */
export function planProblem(steps: Pick<PlanStep, 'id' | 'after'>[]): string | undefined {
  const byId = new Map<string, Pick<PlanStep, 'id' | 'after'>>();
  for (const s of steps) {
    if (byId.has(s.id)) return `step id "${s.id}" is used twice`;
    byId.set(s.id, s);
  }
  for (const s of steps)
    for (const a of s.after) if (!byId.has(a)) return `step "${s.id}" comes after "${a}", which is not a step of the plan`;
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): string | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return `steps form a cycle: ${[...path.slice(path.indexOf(id)), id].join(' → ')}`;
    state.set(id, 'visiting');
    for (const a of byId.get(id)?.after ?? []) {
      const found = visit(a, [...path, id]);
      if (found) return found;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const s of steps) {
    const found = visit(s.id, []);
    if (found) return found;
  }
  return undefined;
}

/** A centre's plans override the shipped ones of the same name and add the others. */
export function mergePlans(shipped: ActionPlan[], centre: ActionPlan[]): ActionPlan[] {
  const names = new Set(centre.map((p) => p.name));
  return [...centre, ...shipped.filter((p) => !names.has(p.name))];
}

/** The plan for an alarm kind: an exact match first, then the `*` fallback, else none. */
export function planFor(plans: ActionPlan[], kind: string): ActionPlan | undefined {
  return plans.find((p) => p.kinds.includes(kind)) ?? plans.find((p) => p.kinds.includes('*'));
}

export const PLAN_STEP_STATUSES = ['open', 'done', 'skipped'] as const;
export type PlanStepStatus = (typeof PLAN_STEP_STATUSES)[number];

/** One step of one alarm's plan, as worked. */
export interface AlarmPlanStep {
  key: string;
  index: number;
  type: PlanStepType;
  title: string;
  after: string[];
  /** `plan`: from the plan file; `case`: an addition of the person's case. */
  source: 'plan' | 'case';
  status: PlanStepStatus;
  /** What happened (done) or why not (skipped). */
  outcome: string | null;
  reason: string | null;
  by: string | null;
  at: number | null;
}

/** An alarm's plan as the API serves it. */
export interface PlanView {
  name: string | null;
  steps: (Omit<AlarmPlanStep, 'at'> & { at: string | null })[];
  open: number;
}

export type MarkInput = { type: 'done'; outcome: string } | { type: 'skip'; reason: string };

/** Whether a step may be marked now: it must be open and the steps it comes after closed. */
export function checkMark(
  steps: AlarmPlanStep[],
  key: string,
): { ok: true; step: AlarmPlanStep } | { ok: false; why: 'unknown' | 'closed' | 'waiting'; waitingFor?: string[] } {
  const step = steps.find((s) => s.key === key);
  if (!step) return { ok: false, why: 'unknown' };
  if (step.status !== 'open') return { ok: false, why: 'closed' };
  const waitingFor = step.after.filter((a) => steps.find((s) => s.key === a)?.status === 'open');
  if (waitingFor.length > 0) return { ok: false, why: 'waiting', waitingFor };
  return { ok: true, step };
}

/** The steps still open: an alarm with any cannot be resolved unless a supervisor overrides. */
export const openSteps = (steps: AlarmPlanStep[]): AlarmPlanStep[] => steps.filter((s) => s.status === 'open');
