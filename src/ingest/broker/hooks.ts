import type { AedesOptions, Client, PublishPacket, Subscription } from 'aedes';
import type { Clock, Logger, Metrics } from '../../platform/index.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import type { ConnectGate } from '../auth/connect-gate.ts';
import { RefusalLog } from '../auth/refusal-log.ts';
import type { IngestContext } from '../context.ts';
import type { IngestMetrics } from '../metrics.ts';
import { handleUplink } from '../pipeline.ts';
import { authorizeDownlinkSubscription, authorizeUplink, type Principal, parseDeviceTopic } from '../topics.ts';
import type { CentinelaAedes } from './centinela-aedes.ts';
import type { PacketGuard } from './packet-guard.ts';
import type { Presence } from './presence.ts';
import type { ServerCloses } from './server-closes.ts';
import type { Takeovers } from './takeovers.ts';

export interface HookDeps {
  ctx: IngestContext;
  auth: Authenticator;
  logger: Logger;
  clock: Clock;
  metrics: IngestMetrics;
  platformMetrics: Metrics;
  principals: WeakMap<Client, Principal>;
  broker: () => CentinelaAedes;
  gate: ConnectGate;
  takeovers: Takeovers;
  serverCloses: ServerCloses;
  presence: Presence;
}

/** The broker that stored a will in the shared persistence (aedes-persistence-redis sets it on the packet). */
const storedBy = (packet: PublishPacket): string | undefined => {
  const id = (packet as PublishPacket & { brokerId?: unknown }).brokerId;
  return typeof id === 'string' ? id : undefined;
};

/**
 * A will another node stored, published here because that node died (or was unheard for three
 * of its heartbeats). It is the device's departure only if that node held the device's latest
 * connection (src/ingest/broker/presence.ts); otherwise the device has connected again since,
 * here or elsewhere, and the will is stale.
 */
async function deadNodeWill(d: HookDeps, packet: PublishPacket, willBroker: string): Promise<void> {
  const owner = parseDeviceTopic(packet.topic);
  if (owner?.kind !== 'status') return;
  const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
  const receivedAt = d.clock.now();
  if (payload.toString('utf8').trim() !== 'offline') {
    handleUplink(d.ctx, { deviceId: owner.deviceId, kind: 'status', payload, receivedAt, fromWill: true });
    return;
  }
  let departure: boolean;
  try {
    departure = await d.presence.claimDeparture(owner.deviceId, willBroker);
  } catch (err) {
    // Not knowing where the device is, the will is taken at its word: a departure missed is a
    // person unprotected, one reported wrongly is undone by the device's next heartbeat.
    d.logger.warn({ err, deviceId: owner.deviceId }, "device presence unreadable; a dead node's last will is taken as the device leaving");
    departure = true;
  }
  d.metrics.deadNodeWills.inc({ outcome: departure ? 'departure' : 'stale' });
  if (!departure) {
    d.logger.info({ deviceId: owner.deviceId }, "a dead node's last will dropped: the device connected again since");
    return;
  }
  d.metrics.messages.inc({ kind: 'status' });
  d.ctx.connections.left(owner.deviceId, receivedAt);
}

const addressOf = (client: Client) => (client.conn as Partial<PacketGuard>).remoteAddress ?? 'unknown';
const socketClosed = (client: Client) => client.closed || (client.conn as { destroyed?: boolean }).destroyed === true;

/** aedes' authentication and authorization hooks, bound to Centinela's rules. */
export function brokerHooks(d: HookDeps): Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'> {
  const refusePublish = (client: Client | null, deviceId: string, topic: string, reason: string, callback: (e?: Error | null) => void) => {
    d.metrics.rejected.inc({ kind: 'acl', reason });
    d.logger.warn({ deviceId, reason }, 'publish refused by the topic ACL; disconnecting');
    d.ctx.events.emit('ingest.rejected', { deviceId, topic, reason, at: d.clock.now() });
    d.serverCloses.mark(client);
    callback(new Error(`publish refused: ${reason}`));
  };

  const refusals = new RefusalLog();

  return {
    authenticate(client, username, password, done) {
      // Issue 15: aedes names a client that sent an empty id `aedes_<uuid>`: that is CONNACK 2, identifier rejected.
      if (/^aedes_[0-9a-f-]{36}$/.test(client.id)) return done(Object.assign(new Error('identifier rejected'), { returnCode: 2 }), null);
      // CGNAT puts thousands of devices behind one address: failures are counted per address
      // *and* client id, and only a refusal waits, so guessing slows down while devices with a
      // valid secret from the same address are answered at once.
      const failureKey = `${addressOf(client)}\n${client.id}`;
      d.gate
        .run(
          () => d.auth.authenticate(client.id, username, password),
          (cancel) => {
            if (socketClosed(client)) cancel();
            else client.conn.once('close', cancel);
          },
        )
        .then(
          (result) => {
            if (result === undefined) {
              d.metrics.connectsDropped.inc({ reason: 'closed_before_auth' });
              // aedes stops here for a closed client; the code only satisfies its type.
              return done(Object.assign(new Error('connection closed before authentication'), { returnCode: 3 as const }), null);
            }
            if (result.ok) {
              d.auth.backoff.succeeded(failureKey);
              d.takeovers.mark(d.broker().clientById(client.id), client);
              d.principals.set(client, result.principal);
              return done(null, true);
            }
            const now = d.clock.now();
            const delay = d.auth.backoff.delayFor(failureKey, now);
            d.auth.backoff.failed(failureKey, now);
            d.platformMetrics.authFailures.inc({ surface: 'mqtt', reason: result.reason });
            const entry = refusals.take(now);
            if (entry.log)
              d.logger.warn(
                { clientId: client.id, reason: result.reason, returnCode: result.returnCode, notLoggedBefore: entry.suppressed },
                'mqtt connection refused',
              );
            const refuse = () =>
              done(Object.assign(new Error(`connection refused: ${result.reason}`), { returnCode: result.returnCode }), null);
            if (delay > 0) setTimeout(refuse, delay).unref();
            else refuse();
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
      // Another node's stored will: aedes passes the device's client on this node, if any, as
      // the publisher; the will is not that connection's. Never refused: an error would stop
      // aedes' sweep of dead nodes' wills and leave this one stored, to be tried for ever.
      const willBroker = storedBy(packet);
      if (willBroker !== undefined && willBroker !== broker.id) {
        broker.consume(packet);
        deadNodeWill(d, packet, willBroker).then(
          () => callback(null),
          (err: unknown) => {
            d.logger.error({ err }, "a dead node's last will could not be handled");
            callback(null);
          },
        );
        return;
      }
      const principal = client ? d.principals.get(client) : undefined;
      const fromWill = client === null || packet === (client as Client & { will?: unknown }).will;
      // A connection replaced by the same device's newer one: its will is not the device leaving.
      if (fromWill && client && d.takeovers.isSuperseded(client)) return callback(new Error('superseded connection'));
      // Nor is a connection this node closed itself (issue 13 §1).
      if (fromWill && client && d.serverCloses.isOurs(client)) return callback(new Error('closed by the server'));
      if (!principal) return callback(client === null ? null : new Error('not authenticated'));
      const decision = authorizeUplink(principal, packet.topic);
      if (!decision.ok) return refusePublish(client, decision.deviceId, packet.topic, decision.reason, callback);

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
      // P1: an alarm's callback waits for the durable write (database or journal); aedes writes
      // PUBACK only after it. An alarm neither could hold gets no PUBACK, and the connection
      // stays up (issue 13 §1): an error here would make aedes close it, and a stalled database
      // would turn into a fleet of disconnects. As QoS 0, aedes completes the packet without
      // acknowledging it; the device keeps the press and sends it again.
      if (pending)
        pending.then(
          () => callback(null),
          () => {
            packet.qos = 0;
            callback(null);
          },
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
