import { timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../../platform/secrets.ts';
import type { Principal } from '../topics.ts';

/**
 * The accounts this node admitted, with a digest of the secret that last passed against the
 * stored hash (issue 13 §2): while the database is away, a device that reconnects with the same
 * secret is admitted from here instead of being refused ("server unavailable" strands common
 * MQTT clients, and the presses on them). Bounded, oldest forgotten first. An account the
 * database refuses (wrong secret, retired, unknown) is forgotten at once, so the fallback never
 * outlives what the database last said by more than the outage itself.
 */
export class KnownAccounts {
  private readonly accounts = new Map<string, { digest: Buffer; principal: Principal }>();

  constructor(private readonly capacity = 100_000) {}

  admitted(accountId: string, secret: string, principal: Principal): void {
    this.accounts.delete(accountId);
    if (this.accounts.size >= this.capacity) {
      const oldest = this.accounts.keys().next().value;
      if (oldest !== undefined) this.accounts.delete(oldest);
    }
    this.accounts.set(accountId, { digest: Buffer.from(sha256Hex(secret), 'hex'), principal });
  }

  refused(accountId: string): void {
    this.accounts.delete(accountId);
  }

  /** The principal last admitted with this very secret, if any. */
  recall(accountId: string, secret: string): Principal | undefined {
    const known = this.accounts.get(accountId);
    if (!known) return undefined;
    const digest = Buffer.from(sha256Hex(secret), 'hex');
    return digest.length === known.digest.length && timingSafeEqual(digest, known.digest) ? known.principal : undefined;
  }
}
