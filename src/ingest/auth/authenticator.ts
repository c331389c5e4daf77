import type { Clock } from '../../platform/clock.ts';
import { generateCredential, hashDeviceSecret, isCurrentDeviceHash, verifySecret } from '../../platform/secrets.ts';
import type { GatewayRepository, Repositories } from '../../store/index.ts';
import { withinBound } from '../store-bound.ts';
import type { Principal } from '../topics.ts';
import { CredentialReads } from './credential-reads.ts';
import { FailureBackoff } from './failure-backoff.ts';
import { KnownAccounts } from './known-accounts.ts';
import type { SecretUpgrades } from './secret-upgrades.ts';
import { VerifiedSecrets } from './verified-secrets.ts';

/** MQTT CONNACK return codes (3.1.1): 4 bad user name or password, 5 not authorized. */
export type Refusal = { returnCode: 4 | 5; reason: string };
export type AuthResult =
  /** fromMemory: admitted from what this node knew while the database was away. */
  { ok: true; principal: Principal; fromMemory?: boolean } | ({ ok: false } & Refusal);

/**
 * Device and gateway authentication: username = client id = account id, password = its secret,
 * checked against the stored hash (SHA-256, or scrypt for secrets stored before SHA-256 was used:
 * src/platform/secrets.ts). Every connect reads the account afresh, so a retired device or a
 * rotated secret is refused at once.
 */
export class Authenticator {
  private readonly secrets = new VerifiedSecrets();
  private readonly decoyHash = hashDeviceSecret(generateCredential('decoy'));
  /** Keyed by address and client id (CGNAT: many devices share one address): see brokerHooks. */
  readonly backoff = new FailureBackoff();

  private readonly known = new KnownAccounts();
  private readonly reads: CredentialReads;

  constructor(
    private readonly repos: Repositories,
    private readonly gateways: GatewayRepository,
    private readonly clock: Clock,
    private readonly upgrades: SecretUpgrades,
    /** How long a CONNECT waits for the database before the node answers from what it knows. */
    private readonly storeTimeoutMs = 3_000,
  ) {
    this.reads = new CredentialReads(async (ids) => {
      const [gateways, devices] = await Promise.all([this.gateways.credentialsOf(ids), this.repos.devices.credentialsOf(ids)]);
      return new Map(ids.map((id) => [id, { device: devices.get(id), gateway: gateways.get(id) }]));
    });
  }

  /**
   * Checks against the database; when it does not answer in time (issue 13 §2), an account this
   * node admitted with the same secret is admitted again, and anything else gets the error.
   */
  async authenticate(clientId: string, username: string | undefined, password: Buffer | undefined): Promise<AuthResult> {
    if (!username || !password || password.length === 0) return { ok: false, returnCode: 4, reason: 'missing_credentials' };
    if (clientId !== username) return { ok: false, returnCode: 5, reason: 'client_id_mismatch' };
    const secret = password.toString('utf8');
    const checked = await withinBound(this.check(username, secret), this.storeTimeoutMs);
    if (checked.ok) {
      if (checked.value.ok) this.known.admitted(username, secret, checked.value.principal);
      else this.known.refused(username);
      return checked.value;
    }
    const principal = this.known.recall(username, secret);
    if (principal) return { ok: true, principal, fromMemory: true };
    throw checked.err;
  }

  private async check(username: string, secret: string): Promise<AuthResult> {
    // Both accounts are read on every attempt (with the other CONNECTs of the moment), so a
    // device id, a gateway id and an unknown id cost the same reads and one hash comparison: ids
    // cannot be probed by timing.
    const { gateway, device } = await this.reads.lookup(username);
    if (device) {
      if (!(await this.secrets.verify(username, secret, device.secretHash))) return { ok: false, returnCode: 4, reason: 'bad_secret' };
      if (device.retiredAt !== null && device.retiredAt <= this.clock.now()) return { ok: false, returnCode: 5, reason: 'retired' };
      // The old scrypt hash verified: store the same secret in the current format.
      if (!isCurrentDeviceHash(device.secretHash)) this.upgrades.add(username, device.secretHash, hashDeviceSecret(secret));
      return { ok: true, principal: { kind: 'device', id: username } };
    }
    if (gateway) {
      if (!(await this.secrets.verify(`gw:${username}`, secret, gateway.secretHash)))
        return { ok: false, returnCode: 4, reason: 'bad_secret' };
      if (gateway.retiredAt !== null) return { ok: false, returnCode: 5, reason: 'retired' };
      return { ok: true, principal: { kind: 'gateway', id: username, devices: new Set(gateway.deviceIds) } };
    }
    // Unknown accounts answer like a wrong secret, after the same hash comparison.
    await verifySecret(secret, this.decoyHash);
    return { ok: false, returnCode: 4, reason: 'unknown_account' };
  }
}
