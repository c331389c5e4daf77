import { describe, expect, test } from 'vitest';
import { createPrng } from './prng.ts';

describe('seeded PRNG', () => {
  test('one seed gives one sequence; the device id separates streams', () => {
    const seq = (...seed: (string | number)[]) =>
      Array.from(
        { length: 20 },
        (
          (p) => () =>
            p.next()
        )(createPrng(...seed)),
      );
    expect(seq(1, 'pb-1')).toEqual(seq(1, 'pb-1'));
    expect(seq(1, 'pb-1')).not.toEqual(seq(1, 'pb-2'));
    expect(seq(1, 'pb-1')).not.toEqual(seq(2, 'pb-1'));
  });

  test('draws stay in range', () => {
    const p = createPrng('range');
    for (let i = 0; i < 1000; i++) {
      const x = p.next();
      expect(x >= 0 && x < 1).toBe(true);
      const n = p.int(2, 5);
      expect(n >= 2 && n <= 5 && Number.isInteger(n)).toBe(true);
      expect(p.exponential(10)).toBeGreaterThanOrEqual(0);
    }
  });
});
