/**
 * Announcements (`alarm.raised`, `alarm.journaled`) and the `alarm stored` log line held until the
 * PUBACK of the press they follow is written, so neither the alerts engine's opening work nor a
 * synchronous log write delays that PUBACK (P1). The broker
 * completes a consumed PUBLISH, and so writes its PUBACK, in a `setImmediate` queued after the
 * handler returns (src/ingest/broker/centinela-aedes.ts): one `setImmediate` here would run before
 * it; a second hop lands in the next turn of the event loop.
 *
 * A stop sends those still waiting at once: the press was acknowledged, and the alerts engine
 * (stopped after ingest) must hear of it in this run, not lose it between two turns of the loop.
 */
export class AfterPuback {
  private readonly waiting = new Set<() => void>();

  schedule(announce: () => void): void {
    const run = (): void => {
      if (this.waiting.delete(run)) announce();
    };
    this.waiting.add(run);
    setImmediate(() => setImmediate(run));
  }

  /** Sends every announcement still waiting, in the order they were scheduled. */
  flush(): void {
    for (const run of [...this.waiting]) run();
  }
}
