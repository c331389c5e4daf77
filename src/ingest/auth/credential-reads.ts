import type { GatewayCredentials } from '../../domain/gateway.ts';

/** What the store holds for one account id: a device, a gateway, or neither. */
export interface AccountCredentials {
  device: { secretHash: string; retiredAt: number | null } | undefined;
  gateway: GatewayCredentials | undefined;
}

/** At most this many accounts per read. */
const MAX_BATCH = 500;

/**
 * Reads the credentials of the CONNECTs being authenticated together in one read of each table,
 * instead of two reads per CONNECT. After a restart the whole fleet authenticates within seconds;
 * a read per CONNECT was the largest part of Centinela's CPU per connection in the restart storm
 * (bench/restart-storm-results.md), on the event loop the alarm path shares. Lookups asked for in
 * the same turn of the event loop share the next read; every account is still read afresh from
 * the database on each connect, so a rotated secret or a retirement counts at once. Each batch
 * reads both tables, whatever the ids are: a device id, a gateway id and an unknown id cost the
 * same, so ids cannot be probed by timing.
 */
export class CredentialReads {
  private waiting = new Map<string, { resolve: (c: AccountCredentials) => void; reject: (err: unknown) => void }[]>();
  private scheduled = false;

  constructor(private readonly read: (ids: string[]) => Promise<Map<string, AccountCredentials>>) {}

  lookup(id: string): Promise<AccountCredentials> {
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(id);
      if (waiters) waiters.push({ resolve, reject });
      else this.waiting.set(id, [{ resolve, reject }]);
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.scheduled = false;
    const all = [...this.waiting];
    this.waiting = new Map();
    for (let i = 0; i < all.length; i += MAX_BATCH) {
      const batch = all.slice(i, i + MAX_BATCH);
      this.read(batch.map(([id]) => id)).then(
        (found) => {
          for (const [id, waiters] of batch) {
            const c = found.get(id) ?? { device: undefined, gateway: undefined };
            for (const w of waiters) w.resolve(c);
          }
        },
        (err: unknown) => {
          for (const [, waiters] of batch) for (const w of waiters) w.reject(err);
        },
      );
    }
  }
}
