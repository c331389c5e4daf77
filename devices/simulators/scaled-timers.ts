/**
 * Timers in simulated seconds. A speed factor compresses time for demos and tests: at speed 60
 * a panic button's 60 s heartbeat fires every real second. Every timer is tracked so a stop
 * leaves nothing behind that would keep the process alive.
 */
export class ScaledTimers {
  readonly #speed: number;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(speed = 1) {
    if (!(speed > 0)) throw new Error(`speed must be positive, got ${speed}`);
    this.#speed = speed;
  }

  get speed(): number {
    return this.#speed;
  }

  /** Real milliseconds that `simSeconds` of simulated time take. */
  realMs(simSeconds: number): number {
    return Math.max(0, (simSeconds * 1000) / this.#speed);
  }

  after(simSeconds: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, this.realMs(simSeconds));
    this.#timers.add(t);
    return t;
  }

  cancel(t: NodeJS.Timeout | undefined): void {
    if (!t) return;
    clearTimeout(t);
    this.#timers.delete(t);
  }

  clear(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}

/**
 * A clock for payload timestamps that runs `speed` times faster than the wall clock from
 * `start`: accelerated runs then carry the simulated times (a satellite check-in that waited
 * three simulated hours is three hours old). Timestamps may run ahead of the server's clock,
 * which flags them clockSuspect beyond 5 minutes, so demos against Centinela keep wall time.
 */
export function simulatedClock(speed: number, start: number = Date.now()): () => number {
  const realStart = Date.now();
  return () => Math.round(start + (Date.now() - realStart) * speed);
}
