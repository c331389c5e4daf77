import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { AedesOptions, Client } from 'aedes';
import { MAX_PACKET_BYTES } from '../../domain/wire.ts';
import type { Clock, Logger, Metrics } from '../../platform/index.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import { ConnectGate } from '../auth/connect-gate.ts';
import type { IngestContext } from '../context.ts';
import type { IngestMetrics } from '../metrics.ts';
import type { Principal } from '../topics.ts';
import { CentinelaAedes } from './centinela-aedes.ts';
import { reportDownlinkAcks } from './downlink-acks.ts';
import { brokerHooks } from './hooks.ts';
import { type ConnectionCeiling, type Listener, listenTcp, listenTls } from './listeners.ts';
import { PacketGuard } from './packet-guard.ts';
import { type Presence, redisPresence, singleNodePresence } from './presence.ts';
import { ServerCloses } from './server-closes.ts';
import { Takeovers } from './takeovers.ts';

/**
 * CONNECTs authenticated at once. A check is one indexed read and a SHA-256, so a few dozen keep
 * both cores busy without letting a reconnect storm start thousands of reads together.
 */
export const CONCURRENT_AUTHENTICATIONS = 32;

import { closeRevokedConnections } from './revocation.ts';

const require = createRequire(import.meta.url);

export interface EmbeddedBrokerConfig {
  port: number;
  host: string;
  tls: { port: number; certFile: string; keyFile: string } | undefined;
  redisUrl: string | undefined;
  /** CENTINELA_MQTT_NODE_HEARTBEAT_S in ms; absent = aedes' 60 s. */
  nodeHeartbeatMs?: number | undefined;
}

export interface EmbeddedBroker {
  port: number;
  tlsPort: number | undefined;
  publish(topic: string, payload: Buffer, retain: boolean): Promise<void>;
  isListening(): boolean;
  stop(): Promise<void>;
}

interface Deps {
  ctx: IngestContext;
  auth: Authenticator;
  logger: Logger;
  clock: Clock;
  metrics: IngestMetrics;
  platformMetrics: Metrics;
  /** MQTT connections this process accepts before refusing (src/ingest/open-files.ts). */
  ceiling: ConnectionCeiling;
}

/** With REDIS_URL, brokers on several nodes share subscriptions, sessions, deliveries and where each device is. */
function clusterOptions(
  redisUrl: string | undefined,
  brokerId: string,
  logger: Logger,
): { options: Partial<AedesOptions>; presence: Presence; close: () => Promise<void> } {
  if (!redisUrl) return { options: {}, presence: singleNodePresence, close: async () => {} };
  // Required here, not imported: a single node never loads the Redis clients.
  const { Redis } = require('ioredis') as typeof import('ioredis');
  const mqemitterRedis = require('mqemitter-redis') as (o: object) => { close(cb: () => void): void };
  const redisPersistence = require('aedes-persistence-redis') as (o: object) => { destroy(): Promise<void> };
  const conn = new Redis(redisUrl);
  // The subscriber connection skips ioredis' ready check (an INFO command), which a
  // connection already in subscriber mode refuses when it reconnects.
  const mq = mqemitterRedis({ subConn: new Redis(redisUrl, { enableReadyCheck: false }), pubConn: new Redis(redisUrl) });
  const persistence = redisPersistence({ conn });
  let presenceFailures = 0;
  const presence = redisPresence(conn, brokerId, (err) => {
    // Once per episode of failures: Redis away is logged by the relay too.
    if (presenceFailures++ === 0) logger.warn({ err }, 'device presence not recorded in Redis');
  });
  return {
    options: { mq, persistence },
    presence,
    close: async () => {
      // broker.close() leaves a Redis persistence open (docs/dependencies.md).
      await persistence.destroy();
      conn.disconnect();
    },
  };
}

/** The in-process MQTT broker (aedes) on CENTINELA_MQTT_PORT, and TLS when configured. */
export async function startEmbeddedBroker(config: EmbeddedBrokerConfig, d: Deps): Promise<EmbeddedBroker> {
  const principals = new WeakMap<Client, Principal>();
  const takeovers = new Takeovers();
  const serverCloses = new ServerCloses();
  const gate = new ConnectGate(CONCURRENT_AUTHENTICATIONS, (waiting) => d.metrics.authWaiting.set(waiting));
  // Our own id for aedes, so the presence records name the same broker its stored wills do.
  const brokerId = randomUUID();
  const cluster = clusterOptions(config.redisUrl, brokerId, d.logger);
  const presence = cluster.presence;
  const broker = new CentinelaAedes({
    id: brokerId,
    ...(config.nodeHeartbeatMs ? { heartbeatInterval: config.nodeHeartbeatMs } : {}),
    ...cluster.options,
    ...brokerHooks({ ...d, principals, broker: () => broker, gate, takeovers, serverCloses, presence }),
  });
  // The device registered on another node while still connected here: aedes closes our client
  // on hearing it. Listening before aedes does (listen() adds its own listener) marks the client
  // before that close runs, so neither its will nor its close is taken for the device leaving.
  (
    broker as unknown as { mq: { on(topic: string, fn: (packet: { topic: string; payload: unknown }, done: () => void) => void): void } }
  ).mq.on('$SYS/+/new/clients', (packet, done) => {
    if (packet.topic.split('/')[1] !== broker.id) takeovers.markElsewhere(broker.clientById(String(packet.payload)));
    done();
  });
  await broker.listen();
  const stopRevocations = closeRevokedConnections(d.ctx.events, () => broker, principals, d.logger);

  broker.on('clientReady', (client) => {
    d.metrics.connections.inc();
    const p = principals.get(client);
    if (p?.kind !== 'device') return;
    d.ctx.connections.connected(p.id, d.clock.now());
    presence.arrived(p.id);
  });
  // Issue 14 §9 (i14a's one hook in ingest): PUBACKs of the `config` downlink.
  reportDownlinkAcks(broker, principals, d.ctx.events, d.clock);
  broker.on('clientDisconnect', (client) => {
    d.metrics.connections.dec();
    const p = principals.get(client);
    // A connection taken over by the device's newer one: the device did not leave.
    if (takeovers.isSuperseded(client)) return;
    // Nor did one this node closed itself: a refused packet, a shutdown (issue 13 §1).
    if (serverCloses.isOurs(client)) return;
    // No DISCONNECT packet seen: the device vanished, whether or not it set a will.
    if (p?.kind === 'device') d.ctx.connections.disconnected(p.id, d.clock.now(), !(client.conn as PacketGuard).sawDisconnect);
  });

  const onSocket = (socket: import('node:net').Socket) => {
    socket.on('error', () => {});
    const guard = new PacketGuard(socket, MAX_PACKET_BYTES, (reason, announced) => {
      d.metrics.packetsRefused.inc({ reason });
      const client = (guard as unknown as { client?: Client }).client;
      serverCloses.mark(client);
      const clientId = client?.id;
      d.logger.warn(
        { clientId, reason, announcedBytes: announced, limitBytes: MAX_PACKET_BYTES },
        'mqtt packet refused; connection closed',
      );
    });
    broker.handle(guard);
  };

  const listeners: Listener[] = [];
  try {
    listeners.push(await listenTcp(config.port, config.host, onSocket, d.ceiling));
    d.logger.info({ port: listeners[0]?.port, host: config.host, tls: false }, 'mqtt listening');
    if (config.tls) {
      listeners.push(await listenTls(config.tls, config.host, onSocket, d.ceiling));
      d.logger.info({ port: listeners[1]?.port, host: config.host, tls: true }, 'mqtt listening');
    }
  } catch (err) {
    await Promise.all(listeners.map((l) => l.close()));
    await new Promise<void>((r) => broker.close(() => r()));
    await cluster.close();
    throw err;
  }

  let listening = true;
  return {
    port: listeners[0]?.port as number,
    tlsPort: listeners[1]?.port,
    publish: (topic, payload, retain) =>
      new Promise<void>((resolve, reject) =>
        broker.publish({ cmd: 'publish', topic, payload, qos: 1, retain, dup: false }, (err) => (err ? reject(err) : resolve())),
      ),
    isListening: () => listening && !broker.closed,
    stop: async () => {
      listening = false;
      serverCloses.markAll();
      stopRevocations();
      await Promise.all(listeners.map((l) => l.close()));
      await new Promise<void>((r) => broker.close(() => r()));
      await cluster.close();
    },
  };
}
