import { describe, expect, it } from 'vitest';
import { FailureBackoff } from './failure-backoff.ts';

describe('failure backoff per address', () => {
  it('lets a few mistakes through, then doubles the wait, and forgets after a success', () => {
    const b = new FailureBackoff({ free: 2, baseMs: 100, maxMs: 1000, forgetAfterMs: 60_000, capacity: 10 });
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      delays.push(b.delayFor('10.0.0.1', 0));
      b.failed('10.0.0.1', 0);
    }
    expect(delays).toEqual([0, 0, 100, 200, 400, 800, 1000]);
    expect(b.delayFor('10.0.0.2', 0)).toBe(0);
    b.succeeded('10.0.0.1');
    expect(b.delayFor('10.0.0.1', 0)).toBe(0);
  });

  it('forgets an address that stopped failing long ago', () => {
    const b = new FailureBackoff({ free: 0, baseMs: 100, maxMs: 1000, forgetAfterMs: 1000, capacity: 10 });
    b.failed('a', 0);
    expect(b.delayFor('a', 500)).toBe(200);
    expect(b.delayFor('a', 5000)).toBe(0);
  });
});
