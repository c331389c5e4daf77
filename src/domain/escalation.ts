import { z } from 'zod';

/** Who a step pages (docs/architecture.md "State machines"). */
export const STEP_TARGETS = ['operators', 'supervisor', 'contacts', 'responder'] as const;
export type StepTarget = (typeof STEP_TARGETS)[number];
export const STEP_CHANNELS = ['console', 'sms', 'voice', 'webhook'] as const;
export type StepChannel = (typeof STEP_CHANNELS)[number];

export const policyStepSchema = z.strictObject({
  afterS: z.number().min(0, 'afterS must not be negative'),
  target: z.enum(STEP_TARGETS, { error: `target must be one of ${STEP_TARGETS.join(', ')}` }),
  channel: z.enum(STEP_CHANNELS, { error: `channel must be one of ${STEP_CHANNELS.join(', ')}` }),
  /** Fire again every repeatS seconds while the step's condition holds. */
  repeatS: z.number().positive('repeatS must be positive').optional(),
  /** Default true: the step fires only while nobody has acknowledged (docs/architecture.md). */
  untilAcknowledged: z.boolean().default(true),
  /** Also fire at once when an operator dispatches (the responder step of the panic policy). */
  onDispatch: z.boolean().default(false),
});
export type PolicyStep = z.infer<typeof policyStepSchema>;

export const policySchema = z.strictObject({
  name: z.string().min(1),
  /** Alarm kinds this policy applies to; `*` is the fallback. */
  kinds: z.array(z.string().min(1)).min(1),
  steps: z.array(policyStepSchema).min(1, 'a policy needs at least one step'),
});
export type Policy = z.infer<typeof policySchema>;

/** The condition of an alarm that a step looks at when it comes due. */
export interface StepView {
  state: 'open' | 'acknowledged' | 'dispatched' | 'on_scene' | 'resolved';
}

export type StepDecision =
  /** Page now; `nextDueAt` null means the step is finished after this firing. */
  { fire: true; nextDueAt: number | null } | { fire: false; nextDueAt: null; reason: 'resolved' | 'acknowledged' };

/**
 * Grafana OnCall's step model: a due step answers whether it pages now and when it runs next.
 * Pure: time is passed in, and a step late by the downtime of a restart still fires once (P1)
 * and then keeps its cadence from now, so no burst of missed repeats is sent.
 */
export function decideStep(step: PolicyStep, alarm: StepView, now: number): StepDecision {
  if (alarm.state === 'resolved') return { fire: false, nextDueAt: null, reason: 'resolved' };
  if (step.untilAcknowledged && alarm.state !== 'open') return { fire: false, nextDueAt: null, reason: 'acknowledged' };
  return { fire: true, nextDueAt: step.repeatS ? now + step.repeatS * 1000 : null };
}

/** When each step of a freshly opened alarm first comes due. */
export function initialSchedule(policy: Policy, openedAt: number): { index: number; dueAt: number }[] {
  return policy.steps.map((s, index) => ({ index, dueAt: openedAt + s.afterS * 1000 }));
}

/** Picks the policy for an alarm kind: an exact match first, then the `*` fallback. */
export function policyFor(policies: Policy[], kind: string): Policy | undefined {
  return policies.find((p) => p.kinds.includes(kind)) ?? policies.find((p) => p.kinds.includes('*'));
}

/** Targets that reach people outside the centre; test alarms never page them (docs/architecture.md). */
export const isOutsideTarget = (target: StepTarget): boolean => target === 'contacts' || target === 'responder';

/** Retry delay for a provider that answered 429 or 5xx: exponential, capped, in ms. */
export function backoffMs(attempt: number, baseMs = 500, capMs = 30_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
