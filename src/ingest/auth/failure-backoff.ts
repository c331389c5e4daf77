/**
 * Slows down guessing: after a few failed logins from one address, each further attempt from it
 * waits twice as long as the last (up to a ceiling) before it is answered. A success clears it.
 */
export class FailureBackoff {
  private readonly failures = new Map<string, { count: number; last: number }>();

  constructor(private readonly options = { free: 3, baseMs: 200, maxMs: 30_000, forgetAfterMs: 10 * 60_000, capacity: 100_000 }) {}

  /** How long to wait before answering an attempt from `address`. */
  delayFor(address: string, now: number): number {
    const entry = this.failures.get(address);
    if (!entry) return 0;
    if (now - entry.last > this.options.forgetAfterMs) {
      this.failures.delete(address);
      return 0;
    }
    const over = entry.count - this.options.free;
    return over < 0 ? 0 : Math.min(this.options.maxMs, this.options.baseMs * 2 ** over);
  }

  failed(address: string, now: number): void {
    const entry = this.failures.get(address);
    if (entry) {
      entry.count++;
      entry.last = now;
      return;
    }
    if (this.failures.size >= this.options.capacity) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    this.failures.set(address, { count: 1, last: now });
  }

  succeeded(address: string): void {
    this.failures.delete(address);
  }
}
