import { randomUUID } from 'node:crypto';
import type { Logger } from '../platform/logger.ts';
import type { EventBus, EventName } from './bus.ts';

/** Events other nodes' observers need: what operators watch live. */
export const RELAYED_EVENTS: readonly EventName[] = [
  'alarm.raised',
  'alarm.changed',
  'alarm.escalated',
  'notification.changed',
  'device.state.changed',
  // Liveness: the node leading supervision hears devices connected to any node. Each heartbeat
  // is one Redis message per node; batching them is the next step for large clusters.
  'heartbeat.received',
  'device.event.received',
  'device.polled',
  'device.silent',
  'device.recovered',
  'device.connected',
  'device.disconnected',
  'protection.gap.opened',
  'protection.gap.closed',
  // Issue 15: a revoked credential ends its sessions on every node.
  'credential.revoked',
];

export interface RedisRelay {
  nodeId: string;
  /** Resolves once the subscription is active, so no event published after it is missed. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Relays this node's events to the other nodes through Redis pub/sub, and theirs to this
 * node's bus as remote events. Pub/sub is fire-and-forget: the database stays the truth, and
 * a node that misses a relayed event still shows it on the next read.
 */
export async function startRedisRelay(bus: EventBus, url: string, logger: Logger, channel = 'centinela:events'): Promise<RedisRelay> {
  // Imported here: a single node never loads the Redis client.
  const { Redis } = await import('ioredis');
  const nodeId = randomUUID();
  const publisher = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 });
  const subscriber = new Redis(url, { lazyConnect: false });
  const log = logger.child({ part: 'events', nodeId });
  for (const client of [publisher, subscriber]) client.on('error', (err) => log.warn({ err }, 'redis relay connection error'));

  const relayed = new Set<EventName>(RELAYED_EVENTS);
  const offAny = bus.onAny((name, payload) => {
    if (!relayed.has(name)) return;
    publisher
      .publish(channel, JSON.stringify({ from: nodeId, name, payload }))
      .catch((err: unknown) => log.warn({ err, event: name }, 'could not relay event'));
  });

  subscriber.on('message', (_channel, message) => {
    try {
      const { from, name, payload } = JSON.parse(message) as { from: string; name: EventName; payload: never };
      if (from === nodeId || !relayed.has(name)) return;
      bus.emitRemote(name, payload);
    } catch (err) {
      log.warn({ err }, 'dropped a malformed relayed event');
    }
  });
  const ready = subscriber.subscribe(channel).then(() => undefined);

  return {
    nodeId,
    ready,
    close: async () => {
      offAny();
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}
