/**
 * How many refused CONNECTs are logged one by one: a flood of wrong secrets (or a device stuck
 * with an old one) would otherwise write thousands of lines a second — CPU and disk taken from
 * the devices that do get in. Every refusal is still counted in `centinela_auth_failures_total`;
 * past the budget of a window, the next line logged says how many were left out.
 */
export class RefusalLog {
  private windowStart = Number.NEGATIVE_INFINITY;
  private logged = 0;
  private suppressed = 0;

  constructor(private readonly options = { perWindow: 20, windowMs: 10_000 }) {}

  /** Whether to log this refusal, and how many were left out since the last line. */
  take(now: number): { log: boolean; suppressed: number } {
    if (now - this.windowStart >= this.options.windowMs) {
      this.windowStart = now;
      this.logged = 0;
    }
    if (this.logged >= this.options.perWindow) {
      this.suppressed += 1;
      return { log: false, suppressed: 0 };
    }
    this.logged += 1;
    const suppressed = this.suppressed;
    this.suppressed = 0;
    return { log: true, suppressed };
  }
}
