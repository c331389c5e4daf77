/**
 * The wait before retry `attempt` + 1: exponential from `baseMs`, capped at `capMs`, plus up to
 * 20 % jitter so the messages of one outage do not all come back in the same instant.
 */
export function retryDelayMs(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.round(exp * (1 + 0.2 * random()));
}
