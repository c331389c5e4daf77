import { describe, expect, it } from 'vitest';
import { RefusalLog } from './refusal-log.ts';

describe('refused connections in the log', () => {
  it('logs a few per window one by one, then says how many it left out', () => {
    const log = new RefusalLog({ perWindow: 2, windowMs: 1_000 });
    const taken = [0, 1, 2, 3, 4].map((t) => log.take(t));
    expect(taken.map((x) => x.log)).toEqual([true, true, false, false, false]);
    expect(log.take(1_000)).toEqual({ log: true, suppressed: 3 });
    expect(log.take(1_001)).toEqual({ log: true, suppressed: 0 });
  });
});
