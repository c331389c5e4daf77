import mqtt from 'mqtt';
import type { Logger } from '../../platform/index.ts';
import type { IngestContext } from '../context.ts';
import { handleUplink } from '../pipeline.ts';
import { parseDeviceTopic } from '../topics.ts';
import type { KnownDevices } from './known-devices.ts';

const STATUSES = 'v1/devices/+/status';

export interface StatusListener {
  stop(): Promise<void>;
}

/**
 * Devices' `status` — their `online` and the broker's last will `offline` — when several nodes
 * share an external broker's uplinks. A share group hands each message to one node, so a device's
 * `online` and its will reach different nodes, and no clock orders them: an `online` queued behind
 * a slow message on one node arrives after a will another node handled at once, and a takeover's
 * will and new `online` come milliseconds apart. Only the broker's order is true. So every node
 * subscribes to all statuses outside the share group, and only the node that supervises liveness
 * acts on them, one at a time, in the order the broker sent them.
 *
 * The session is clean: statuses sent while this node was down are not news when it returns
 * (supervision restores states from the database and silence does the rest), and retained
 * statuses are not sent on subscribing, for the same reason.
 */
export async function listenToStatus(opts: {
  url: string;
  clientId: string;
  ctx: IngestContext;
  known: KnownDevices;
  logger: Logger;
  supervising: () => boolean;
}): Promise<StatusListener> {
  const { ctx, known, logger } = opts;
  let inOrder = Promise.resolve();

  const handle = async (topic: string, payload: Buffer, receivedAt: number): Promise<void> => {
    const parsed = parseDeviceTopic(topic);
    if (parsed?.kind !== 'status' || !opts.supervising()) return;
    if (!(await known.has(parsed.deviceId))) {
      ctx.metrics.rejected.inc({ kind: 'status', reason: 'unknown_device' });
      return;
    }
    // The contract publishes `offline` only as a last will; this node may not have seen the
    // connection it ends (it heard it before it supervised), and announces the departure anyway.
    if (payload.toString('utf8').trim() === 'offline') {
      ctx.metrics.messages.inc({ kind: 'status' });
      ctx.connections.left(parsed.deviceId, receivedAt);
      return;
    }
    await handleUplink(ctx, { deviceId: parsed.deviceId, kind: 'status', payload, receivedAt, fromWill: true });
  };

  const client = await mqtt.connectAsync(opts.url, {
    protocolVersion: 5,
    clientId: opts.clientId,
    clean: true,
    properties: { sessionExpiryInterval: 0 },
    reconnectPeriod: 1_000,
    connectTimeout: 10_000,
  });
  client.on('error', (err) => logger.warn({ err }, 'external MQTT broker error (statuses)'));
  client.on('message', (topic, payload) => {
    const receivedAt = ctx.clock.now();
    inOrder = inOrder
      .then(() => handle(topic, payload, receivedAt))
      .catch((err: unknown) => logger.error({ err, topic }, 'device status could not be handled'));
  });
  // mqtt.js subscribes again after a reconnect (its `resubscribe`), which a clean session needs.
  await client.subscribeAsync(STATUSES, { qos: 1, rh: 2 });
  return {
    stop: async () => {
      await client.endAsync();
      await inOrder;
    },
  };
}
