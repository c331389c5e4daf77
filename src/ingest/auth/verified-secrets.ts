import { isCurrentDeviceHash, sha256Hex, verifySecret } from '../../platform/secrets.ts';

/**
 * Remembers which (account, presented secret) pairs already passed scrypt against which stored
 * hash, so a reconnect storm costs a hash lookup, not ~30 ms of scrypt per device, for accounts
 * whose secret is still stored the old way (SHA-256 hashes are checked directly: microseconds). The stored hash is read from the database on every connect and is part of the
 * key: a rotated secret or retired account is refused on its next connect.
 */
export class VerifiedSecrets {
  private readonly entries = new Map<string, string>();

  constructor(private readonly capacity = 50_000) {}

  async verify(accountId: string, presented: string, storedHash: string): Promise<boolean> {
    if (isCurrentDeviceHash(storedHash)) return verifySecret(presented, storedHash);
    const key = `${accountId}\n${storedHash}`;
    const digest = sha256Hex(presented);
    if (this.entries.get(key) === digest) return true;
    if (!(await verifySecret(presented, storedHash))) return false;
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, digest);
    return true;
  }
}
