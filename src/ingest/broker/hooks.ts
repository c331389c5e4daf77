import type { AedesOptions, Client, PublishPacket, Subscription } from 'aedes';
import type { Clock, Logger, Metrics } from '../../platform/index.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import type { IngestContext } from '../context.ts';
import type { IngestMetrics } from '../metrics.ts';
import { handleUplink } from '../pipeline.ts';
import { authorizeDownlinkSubscription, authorizeUplink, type Principal, parseDeviceTopic } from '../topics.ts';
import type { CentinelaAedes } from './centinela-aedes.ts';
import type { PacketGuard } from './packet-guard.ts';

export interface HookDeps {
  ctx: IngestContext;
  auth: Authenticator;
  logger: Logger;
  clock: Clock;
  metrics: IngestMetrics;
  platformMetrics: Metrics;
  principals: WeakMap<Client, Principal>;
  broker: () => CentinelaAedes;
}

const addressOf = (client: Client) => (client.conn as Partial<PacketGuard>).remoteAddress ?? 'unknown';

/** aedes' authentication and authorization hooks, bound to Centinela's rules. */
export function brokerHooks(d: HookDeps): Pick<AedesOptions, 'preConnect' | 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'> {
  const refusePublish = (deviceId: string, topic: string, reason: string, callback: (e?: Error | null) => void) => {
    d.metrics.rejected.inc({ kind: 'acl', reason });
    d.logger.warn({ deviceId, reason }, 'publish refused by the topic ACL; disconnecting');
    d.ctx.events.emit('ingest.rejected', { deviceId, topic, reason, at: d.clock.now() });
    callback(new Error(`publish refused: ${reason}`));
  };

  return {
    // Repeated failures from one address wait longer and longer before they are answered.
    preConnect(client, _packet, callback) {
      const delay = d.auth.backoff.delayFor(addressOf(client), d.clock.now());
      if (delay > 0) setTimeout(() => callback(null, true), delay).unref();
      else callback(null, true);
    },

    authenticate(client, username, password, done) {
      // Issue 15: aedes names a client that sent an empty id `aedes_<uuid>`: that is CONNACK 2, identifier rejected.
      if (/^aedes_[0-9a-f-]{36}$/.test(client.id)) return done(Object.assign(new Error('identifier rejected'), { returnCode: 2 }), null);
      const address = addressOf(client);
      d.auth.authenticate(client.id, username, password).then(
        (result) => {
          if (result.ok) {
            d.auth.backoff.succeeded(address);
            d.principals.set(client, result.principal);
            return done(null, true);
          }
          d.auth.backoff.failed(address, d.clock.now());
          d.platformMetrics.authFailures.inc({ surface: 'mqtt', reason: result.reason });
          d.logger.warn({ clientId: client.id, reason: result.reason, returnCode: result.returnCode }, 'mqtt connection refused');
          done(Object.assign(new Error(`connection refused: ${result.reason}`), { returnCode: result.returnCode }), null);
        },
        (err: unknown) => {
          d.logger.error({ err }, 'mqtt authentication failed: store unavailable');
          // 3: server unavailable — the device retries later; nothing is the device's fault.
          done(Object.assign(new Error('server unavailable'), { returnCode: 3 }), null);
        },
      );
    },

    authorizePublish(client, packet, callback) {
      const broker = d.broker();
      // The will of a client gone before this node started (Redis persistence) has no client.
      const principal = client ? d.principals.get(client) : undefined;
      const fromWill = client === null || packet === (client as Client & { will?: unknown }).will;
      if (!principal) {
        const owner = client === null ? parseDeviceTopic(packet.topic) : undefined;
        if (owner?.kind === 'status') {
          broker.consume(packet);
          handleUplink(d.ctx, {
            deviceId: owner.deviceId,
            kind: 'status',
            payload: packet.payload as Buffer,
            receivedAt: d.clock.now(),
            fromWill,
          });
          return callback(null);
        }
        return callback(client === null ? null : new Error('not authenticated'));
      }
      const decision = authorizeUplink(principal, packet.topic);
      if (!decision.ok) return refusePublish(decision.deviceId, packet.topic, decision.reason, callback);

      // Consumed uplinks never reach the broker's retained store, so a device that sets `retain`
      // on an alarm still raises it (P2: fail toward the alarm).
      broker.consume(packet);
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      const pending = handleUplink(d.ctx, {
        deviceId: decision.deviceId,
        kind: decision.kind,
        payload,
        receivedAt: d.clock.now(),
        fromWill,
      });
      // P1: an alarm's callback waits for the durable write; aedes writes PUBACK only after it.
      if (pending)
        pending.then(
          () => callback(null),
          (err: Error) => callback(err),
        );
      else callback(null);
    },

    authorizeSubscribe(client, sub: Subscription, callback) {
      const principal = d.principals.get(client);
      if (principal && authorizeDownlinkSubscription(principal, sub.topic)) return callback(null, sub);
      d.metrics.rejected.inc({ kind: 'acl', reason: 'foreign_subscription' });
      d.logger.warn({ deviceId: principal?.id ?? client.id, reason: 'foreign_subscription' }, 'subscription refused by the topic ACL');
      // null: SUBACK 0x80 for this topic; the connection stays up.
      callback(null, null);
    },
  };
}

export type { PublishPacket };
