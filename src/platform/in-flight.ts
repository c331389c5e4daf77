/**
 * Work an event started that a clean stop must let finish: an alarm stored and PUBACKed just
 * before a SIGTERM has its escalation started before the store closes, not cut half-way (its
 * opening is one commit, but it must happen in this run — the next start is not a promise).
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  /** `work`, with each run remembered until it settles. */
  track<A extends unknown[]>(work: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
    return (...args) => {
      const run = work(...args);
      this.running.add(run);
      run.then(
        () => this.running.delete(run),
        () => this.running.delete(run),
      );
      return run;
    };
  }

  /** Resolves once every run started so far, and any they started meanwhile, has settled. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
