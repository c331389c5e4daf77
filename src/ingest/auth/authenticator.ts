import type { Clock } from '../../platform/clock.ts';
import { generateCredential, hashDeviceSecret, isCurrentDeviceHash, verifySecret } from '../../platform/secrets.ts';
import type { GatewayRepository, Repositories } from '../../store/index.ts';
import type { Principal } from '../topics.ts';
import { FailureBackoff } from './failure-backoff.ts';
import type { SecretUpgrades } from './secret-upgrades.ts';
import { VerifiedSecrets } from './verified-secrets.ts';

/** MQTT CONNACK return codes (3.1.1): 4 bad user name or password, 5 not authorized. */
export type Refusal = { returnCode: 4 | 5; reason: string };
export type AuthResult = { ok: true; principal: Principal } | ({ ok: false } & Refusal);

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

  constructor(
    private readonly repos: Repositories,
    private readonly gateways: GatewayRepository,
    private readonly clock: Clock,
    private readonly upgrades: SecretUpgrades,
  ) {}

  async authenticate(clientId: string, username: string | undefined, password: Buffer | undefined): Promise<AuthResult> {
    if (!username || !password || password.length === 0) return { ok: false, returnCode: 4, reason: 'missing_credentials' };
    if (clientId !== username) return { ok: false, returnCode: 5, reason: 'client_id_mismatch' };
    const secret = password.toString('utf8');

    // Both accounts are read on every attempt, so a device id, a gateway id and an unknown id
    // cost the same two reads and one hash comparison: ids cannot be probed by timing.
    const [gateway, device] = await Promise.all([this.gateways.credentials(username), this.repos.devices.credentials(username)]);
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
