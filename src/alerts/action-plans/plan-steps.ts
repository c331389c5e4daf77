import { type ActionPlan, type AlarmPlanStep, planFor, planProblem } from '../../domain/action-plan.ts';
import type { CasePlanStep, NewPlanStep } from '../../store/index.ts';

/**
 * The steps copied onto an alarm: the plan of its kind, then the person's case additions that
 * apply to that kind. A case step with the id of a plan step replaces it in place (the case
 * knows better: "call her lawyer, not her sister"); the others are appended in order.
 */
export function stepsFor(plans: ActionPlan[], kind: string, additions: CasePlanStep[]): { planName: string | null; steps: NewPlanStep[] } {
  const plan = planFor(plans, kind);
  const steps: NewPlanStep[] = (plan?.steps ?? []).map((s) => ({
    key: s.id,
    type: s.type,
    title: s.title,
    after: s.after,
    source: 'plan',
    index: 0,
  }));
  for (const a of additions.filter((c) => c.kinds === null || c.kinds.includes(kind))) {
    const own: NewPlanStep = { key: a.step.id, type: a.step.type, title: a.step.title, after: a.step.after, source: 'case', index: 0 };
    const at = steps.findIndex((s) => s.key === own.key);
    if (at >= 0) steps[at] = own;
    else steps.push(own);
  }
  // An addition may name a step this kind's plan does not have, or close a cycle with it:
  // such waits are dropped rather than leave a step that can never be marked.
  if (planProblem(steps.map((s) => ({ id: s.key, after: s.after })))) {
    const keys = new Set(steps.map((s) => s.key));
    for (const s of steps) if (s.source === 'case') s.after = s.after.filter((k) => keys.has(k) && k !== s.key);
    if (planProblem(steps.map((s) => ({ id: s.key, after: s.after })))) for (const s of steps) if (s.source === 'case') s.after = [];
  }
  return { planName: plan?.name ?? null, steps: steps.map((s, index) => ({ ...s, index })) };
}

/** Names of open steps, for the 409 that refuses a resolution. */
export const describeOpen = (open: AlarmPlanStep[]): string => open.map((s) => `"${s.key}" (${s.title})`).join(', ');
