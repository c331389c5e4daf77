import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { backoffMs, decideStep, initialSchedule, type Policy, policyFor, policySchema } from './escalation.ts';

const panic: Policy = policySchema.parse({
  name: 'panic',
  kinds: ['panic', '*'],
  steps: [
    { afterS: 0, target: 'operators', channel: 'console', repeatS: 60 },
    { afterS: 0, target: 'contacts', channel: 'sms', untilAcknowledged: false },
    { afterS: 30, target: 'supervisor', channel: 'sms', repeatS: 60 },
    { afterS: 60, target: 'responder', channel: 'sms', onDispatch: true },
  ],
});

describe('escalation steps (pure, fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-03-01T12:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('the default panic schedule: console and contacts at 0 s, supervisor at 30 s, responder at 60 s', () => {
    const t0 = Date.now();
    expect(initialSchedule(panic, t0).map((s) => s.dueAt - t0)).toEqual([0, 0, 30_000, 60_000]);
  });

  test('a repeating step fires and answers when it runs next; a single step finishes', () => {
    const now = Date.now();
    expect(decideStep(panic.steps[2] as never, { state: 'open' }, now)).toEqual({ fire: true, nextDueAt: now + 60_000 });
    expect(decideStep(panic.steps[3] as never, { state: 'open' }, now)).toEqual({ fire: true, nextDueAt: null });
  });

  test('a step late by a restart fires once and keeps its cadence from now, without a burst', () => {
    vi.advanceTimersByTime(5 * 60_000);
    const now = Date.now();
    expect(decideStep(panic.steps[0] as never, { state: 'open' }, now)).toEqual({ fire: true, nextDueAt: now + 60_000 });
  });

  test('acknowledgement stops steps that run until acknowledged, but not the ones that say otherwise', () => {
    const now = Date.now();
    expect(decideStep(panic.steps[2] as never, { state: 'acknowledged' }, now)).toEqual({
      fire: false,
      nextDueAt: null,
      reason: 'acknowledged',
    });
    expect(decideStep(panic.steps[1] as never, { state: 'acknowledged' }, now).fire).toBe(true);
    expect(decideStep(panic.steps[1] as never, { state: 'resolved' }, now)).toEqual({ fire: false, nextDueAt: null, reason: 'resolved' });
  });

  test('a policy with a negative delay or an unknown target is refused with a message naming the field', () => {
    const neg = policySchema.safeParse({ name: 'x', kinds: ['*'], steps: [{ afterS: -1, target: 'operators', channel: 'console' }] });
    expect(neg.success).toBe(false);
    expect(neg.error?.issues[0]?.message).toBe('afterS must not be negative');
    const unknown = policySchema.safeParse({ name: 'x', kinds: ['*'], steps: [{ afterS: 0, target: 'police', channel: 'sms' }] });
    expect(unknown.error?.issues[0]?.message).toContain('target must be one of operators, supervisor, contacts, responder');
  });

  test('the policy for a kind is the exact match, else the fallback', () => {
    const motion = policySchema.parse({
      name: 'motion',
      kinds: ['motion'],
      steps: [{ afterS: 0, target: 'operators', channel: 'console' }],
    });
    expect(policyFor([motion, panic], 'motion')?.name).toBe('motion');
    expect(policyFor([motion, panic], 'fall')?.name).toBe('panic');
  });

  test('provider retries back off exponentially, capped', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffMs(20)).toBe(30_000);
  });
});
