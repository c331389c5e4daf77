import { describe, expect, it } from 'vitest';
import { HeartbeatAdmission } from './admission.ts';

describe('heartbeat admission', () => {
  it('lets a burst through, then throttles a flooding device until its bucket refills', () => {
    const a = new HeartbeatAdmission({ burst: 3, refillPerSecond: 1, overloadSpacingMs: 10_000 });
    expect([0, 0, 0, 0].map(() => a.admit('d', 0))).toEqual(['accept', 'accept', 'accept', 'throttled']);
    expect(a.admit('other', 0)).toBe('accept');
    expect(a.admit('d', 1000)).toBe('accept');
    expect(a.admit('d', 1000)).toBe('throttled');
  });

  it('keeps one heartbeat per device per spacing while overloaded', () => {
    let overloaded = true;
    const a = new HeartbeatAdmission({ burst: 100, refillPerSecond: 1, overloadSpacingMs: 10_000 }, () => overloaded);
    expect(a.admit('d', 0)).toBe('accept');
    expect(a.admit('d', 5000)).toBe('overload');
    expect(a.admit('d', 10_000)).toBe('accept');
    overloaded = false;
    expect(a.admit('d', 10_001)).toBe('accept');
  });
});
