import type { Clock } from '../../platform/clock.ts';

/** Failures allowed before the lock starts; each later failure doubles the lock. */
const FREE_FAILURES = 3;
const MAX_LOCK_MS = 5 * 60 * 1000;
/** A key with no failure for this long is forgotten. */
const FORGET_AFTER_MS = 30 * 60 * 1000;
/** Bounds memory when someone sprays made-up user names. */
const MAX_KEYS = 10_000;

interface Entry {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

/**
 * Slows down password guessing without locking anyone out (issue 15): failures count per source
 * address and per user name *from that address*. After three failures for a name from one
 * address — or ten times as many from one address for any names — further attempts from that
 * address are refused without checking the password, for a lock that doubles with each failure
 * (1 s, 2 s, 4 s … up to 5 min). Failures from elsewhere never refuse a correct password from an
 * address that did not fail: knowing someone's login name is not enough to shut them out.
 * A success clears that name at that address. Kept in memory per node: a restart forgets, which
 * only gives a guesser a few attempts more.
 */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  private keys(username: string, ip: string): { key: string; free: number }[] {
    return [
      { key: `user:${username.toLowerCase()}@${ip}`, free: FREE_FAILURES },
      { key: `ip:${ip}`, free: FREE_FAILURES * 10 },
    ];
  }

  /** Milliseconds until the next attempt is allowed; 0 when it is allowed now. */
  waitMs(username: string, ip: string): number {
    const now = this.clock.now();
    let wait = 0;
    for (const { key } of this.keys(username, ip)) {
      const e = this.entries.get(key);
      if (e) wait = Math.max(wait, e.lockedUntil - now);
    }
    return Math.max(0, wait);
  }

  failed(username: string, ip: string): void {
    const now = this.clock.now();
    if (this.entries.size > MAX_KEYS) this.prune(now);
    for (const { key, free } of this.keys(username, ip)) {
      const prev = this.entries.get(key);
      const e = prev && now - prev.lastFailureAt < FORGET_AFTER_MS ? prev : { failures: 0, lastFailureAt: now, lockedUntil: 0 };
      e.failures += 1;
      e.lastFailureAt = now;
      if (e.failures >= free) e.lockedUntil = now + Math.min(MAX_LOCK_MS, 1000 * 2 ** (e.failures - free));
      this.entries.set(key, e);
    }
  }

  succeeded(username: string, ip: string): void {
    this.entries.delete(`user:${username.toLowerCase()}@${ip}`);
  }

  private prune(now: number): void {
    for (const [key, e] of this.entries) if (now - e.lastFailureAt >= FORGET_AFTER_MS && e.lockedUntil <= now) this.entries.delete(key);
  }
}
