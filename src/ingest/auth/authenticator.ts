import type { Clock } from '../../platform/clock.ts';
import { generateCredential, hashSecret, verifySecret } from '../../platform/secrets.ts';
import type { GatewayRepository, Repositories } from '../../store/index.ts';
import type { Principal } from '../topics.ts';
import { FailureBackoff } from './failure-backoff.ts';
import { VerifiedSecrets } from './verified-secrets.ts';

/** MQTT CONNACK return codes (3.1.1): 4 bad user name or password, 5 not authorized. */
export type Refusal = { returnCode: 4 | 5; reason: string };
export type AuthResult = { ok: true; principal: Principal } | ({ ok: false } & Refusal);

/**
 * Device and gateway authentication: username = client id = account id, password = its secret,
 * checked against the stored scrypt hash. Every connect reads the account afresh, so a retired
 * device or a rotated secret is refused at once.
 */
export class Authenticator {
  private readonly secrets = new VerifiedSecrets();
  private readonly decoyHash = hashSecret(generateCredential('decoy'));
  readonly backoff = new FailureBackoff();

  constructor(
    private readonly repos: Repositories,
    private readonly gateways: GatewayRepository,
    private readonly clock: Clock,
  ) {}

  async authenticate(clientId: string, username: string | undefined, password: Buffer | undefined): Promise<AuthResult> {
    if (!username || !password || password.length === 0) return { ok: false, returnCode: 4, reason: 'missing_credentials' };
    if (clientId !== username) return { ok: false, returnCode: 5, reason: 'client_id_mismatch' };
    const secret = password.toString('utf8');

    const device = await this.repos.devices.credentials(username);
    if (device) {
      if (!(await this.secrets.verify(username, secret, device.secretHash))) return { ok: false, returnCode: 4, reason: 'bad_secret' };
      if (device.retiredAt !== null && device.retiredAt <= this.clock.now()) return { ok: false, returnCode: 5, reason: 'retired' };
      return { ok: true, principal: { kind: 'device', id: username } };
    }
    const gateway = await this.gateways.credentials(username);
    if (gateway) {
      if (!(await this.secrets.verify(`gw:${username}`, secret, gateway.secretHash)))
        return { ok: false, returnCode: 4, reason: 'bad_secret' };
      if (gateway.retiredAt !== null) return { ok: false, returnCode: 5, reason: 'retired' };
      return { ok: true, principal: { kind: 'gateway', id: username, devices: new Set(gateway.deviceIds) } };
    }
    // Unknown accounts answer like a wrong secret, and as slowly (one scrypt against a hash
    // of nothing), so device ids cannot be probed by the reply or its timing.
    await verifySecret(secret, await this.decoyHash);
    return { ok: false, returnCode: 4, reason: 'unknown_account' };
  }
}
