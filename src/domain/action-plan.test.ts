import { describe, expect, it } from 'vitest';
import {
  type ActionPlan,
  type AlarmPlanStep,
  actionPlanSchema,
  checkMark,
  mergePlans,
  openSteps,
  planFor,
  planProblem,
} from './action-plan.ts';

const s = (id: string, after: string[] = []) => ({ id, after });
const step = (key: string, status: AlarmPlanStep['status'], after: string[] = []): AlarmPlanStep => ({
  key,
  index: 0,
  type: 'check',
  title: key,
  after,
  source: 'plan',
  status,
  outcome: null,
  reason: null,
  by: null,
  at: null,
});
const plan = (name: string, kinds: string[]): ActionPlan => ({ name, kinds, steps: [{ id: 'a', type: 'check', title: 'A', after: [] }] });

describe('action plan rules (pure)', () => {
  it('accepts ordered steps whose waits name earlier or later steps, without a cycle', () => {
    expect(planProblem([s('a'), s('b', ['a']), s('c', ['a', 'b'])])).toBeUndefined();
    expect(planProblem([s('b', ['a']), s('a')])).toBeUndefined();
  });

  it('names a cycle, a wait for a missing step and a repeated id', () => {
    expect(planProblem([s('a', ['c']), s('b', ['a']), s('c', ['b'])])).toBe('steps form a cycle: a → c → b → a');
    expect(planProblem([s('a', ['a'])])).toBe('steps form a cycle: a → a');
    expect(planProblem([s('a', ['ghost'])])).toContain('"ghost", which is not a step');
    expect(planProblem([s('a'), s('a')])).toContain('"a" is used twice');
  });

  it('refuses an unknown step type in the schema, naming the allowed ones', () => {
    const bad = actionPlanSchema.safeParse({ name: 'x', kinds: ['panic'], steps: [{ id: 'a', type: 'pray', title: 'A' }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toContain('call_beneficiary');
  });

  it('picks the exact kind first, then the fallback; a centre plan of the same name wins', () => {
    const plans = [plan('panic', ['panic']), plan('all', ['*'])];
    expect(planFor(plans, 'panic')?.name).toBe('panic');
    expect(planFor(plans, 'fall')?.name).toBe('all');
    expect(planFor([plan('panic', ['panic'])], 'fall')).toBeUndefined();
    const merged = mergePlans(plans, [{ ...plan('panic', ['panic', 'sos']) }]);
    expect(merged.filter((p) => p.name === 'panic')).toHaveLength(1);
    expect(planFor(merged, 'sos')?.name).toBe('panic');
  });

  it('marks a step only when open and after its waits are closed', () => {
    const steps = [step('a', 'open'), step('b', 'open', ['a']), step('c', 'skipped')];
    expect(checkMark(steps, 'b')).toEqual({ ok: false, why: 'waiting', waitingFor: ['a'] });
    expect(checkMark(steps, 'c')).toEqual({ ok: false, why: 'closed' });
    expect(checkMark(steps, 'z')).toEqual({ ok: false, why: 'unknown' });
    expect(checkMark(steps, 'a').ok).toBe(true);
    expect(checkMark([step('a', 'done'), step('b', 'open', ['a'])], 'b').ok).toBe(true);
    expect(openSteps(steps).map((x) => x.key)).toEqual(['a', 'b']);
  });
});
