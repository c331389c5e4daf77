import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { isAckReply, isPossibleSeizure, transition } from './alarm-lifecycle.ts';

describe('the alarm state machine', () => {
  test('acknowledging an open alarm stops the paging and tells the device', () => {
    expect(transition('open', { type: 'acknowledge' }, { test: false })).toEqual({
      ok: true,
      to: 'acknowledged',
      alsoAcknowledged: true,
      effects: [{ type: 'stop_paging' }, { type: 'downlink', state: 'acknowledged' }],
    });
  });

  test('acknowledging twice, or a resolved alarm, is a conflict', () => {
    expect(transition('acknowledged', { type: 'acknowledge' }, { test: false }).ok).toBe(false);
    expect(transition('resolved', { type: 'acknowledge' }, { test: false })).toEqual({
      ok: false,
      reason: 'cannot acknowledge an alarm that is resolved',
    });
  });

  test('dispatching pages the responder; from open it also takes charge', () => {
    const t = transition('open', { type: 'dispatch' }, { test: false });
    expect(t.ok && t.effects.map((e) => e.type)).toEqual(['stop_paging', 'page_responder', 'downlink']);
  });

  test('an alarm may be resolved from any earlier state; genuine opens a case review unless it is a test', () => {
    for (const s of ['open', 'acknowledged', 'dispatched', 'on_scene'] as const)
      expect(transition(s, { type: 'resolve', outcome: 'false_alarm' }, { test: false }).ok).toBe(true);
    const genuine = transition('on_scene', { type: 'resolve', outcome: 'genuine' }, { test: false });
    expect(genuine.ok && genuine.effects.some((e) => e.type === 'open_case_review')).toBe(true);
    const test_ = transition('on_scene', { type: 'resolve', outcome: 'genuine' }, { test: true });
    expect(test_.ok && test_.effects.some((e) => e.type === 'open_case_review')).toBe(false);
  });

  test('help on scene needs someone to have taken charge', () => {
    expect(transition('open', { type: 'on_scene' }, { test: false }).ok).toBe(false);
    expect(transition('dispatched', { type: 'on_scene' }, { test: false }).ok).toBe(true);
  });
});

describe('after an alarm (fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-03-01T12:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('silence, tamper or power loss within 15 minutes of the alarm may be a seizure; at 16 minutes it is not', () => {
    const alarmAt = Date.now();
    vi.advanceTimersByTime(15 * 60_000);
    expect(isPossibleSeizure(alarmAt, Date.now())).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(isPossibleSeizure(alarmAt, Date.now())).toBe(false);
    expect(isPossibleSeizure(alarmAt, alarmAt - 1)).toBe(false);
  });
});

describe('SMS replies that acknowledge', () => {
  test('"1", "OK", "SI" and "Sí" acknowledge; anything else does not', () => {
    for (const yes of ['1', 'ok', ' OK ', 'SI', 'sí', 'Sí']) expect(isAckReply(yes)).toBe(true);
    for (const no of ['2', 'no', 'STOP', '']) expect(isAckReply(no)).toBe(false);
  });
});
