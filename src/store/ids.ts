import { randomFillSync } from 'node:crypto';

/**
 * Random bytes drawn from the system's CSPRNG a few kilobytes at a time: an alarm writes a dozen
 * rows, and a call into the CSPRNG per id was a visible share of its CPU (bench/alarm-cpu-results.md).
 * The ids are as unpredictable as before; each byte is used once.
 */
const pool = Buffer.alloc(6 * 1024);
let used = pool.length;

/** Short random identifiers with a readable prefix (`ben_3f9a1c0d2e4b`). */
export const newId = (prefix: string): string => {
  if (used + 6 > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += 6;
  return `${prefix}_${pool.toString('hex', used - 6, used)}`;
};
