import os from 'node:os';
import mqtt, { type IConnackPacket, type MqttClient } from 'mqtt';
import { MAX_PACKET_BYTES } from '../../domain/wire.ts';
import type { Logger } from '../../platform/index.ts';
import type { IngestContext } from '../context.ts';
import { handleUplink } from '../pipeline.ts';
import { parseDeviceTopic, UPLINK_KINDS, type UplinkKind } from '../topics.ts';
import { KnownDevices } from './known-devices.ts';
import { listenToStatus, type StatusListener } from './status-listener.ts';

/** Nodes of one Centinela share the uplink stream (MQTT 5 shared subscription); `?shareGroup=` overrides. */
export const SHARE_GROUP = 'centinela';
const UPLINKS = 'v1/devices/+/+';
/** What the share group hands out; statuses go to every node (src/ingest/external/status-listener.ts). */
const SHARED_KINDS = UPLINK_KINDS.filter((kind) => kind !== 'status');

export interface ExternalConsumer {
  publish(topic: string, payload: Buffer, retain: boolean): Promise<void>;
  isConnected(): boolean;
  stop(): Promise<void>;
}

/**
 * The client id names the persistent session the broker keeps for us while we are away; it
 * must be stable across restarts and distinct per node. `?clientId=` on MQTT_URL overrides it.
 */
function connectOptions(url: string): { url: string; clientId: string; shareGroup: string } {
  const parsed = new URL(url);
  const clientId = parsed.searchParams.get('clientId') ?? `centinela-${os.hostname()}`;
  const shareGroup = parsed.searchParams.get('shareGroup') ?? SHARE_GROUP;
  parsed.searchParams.delete('clientId');
  parsed.searchParams.delete('shareGroup');
  return { url: parsed.toString(), clientId, shareGroup };
}

/**
 * External-broker mode (MQTT_URL): no embedded broker. Uplinks arrive through the same handlers;
 * each QoS 1 message is acknowledged to the broker only after it is handled, and an alarm only
 * after it is durably stored (P1), so a crash leaves it in our persistent session to redeliver.
 */
export async function startExternalConsumer(
  url: string,
  ctx: IngestContext,
  logger: Logger,
  supervising: () => boolean,
): Promise<ExternalConsumer> {
  const known = new KnownDevices(ctx.repos);
  const { url: brokerUrl, clientId, shareGroup } = connectOptions(url);
  let client: MqttClient | undefined;
  /** Whether the uplinks come through a shared subscription (each message to one node). */
  let shared = true;

  const handle = async (topic: string, payload: Buffer): Promise<void> => {
    const parsed = parseDeviceTopic(topic);
    // Our own downlinks match the subscription too; anything off-contract is not ours to judge.
    if (!parsed || !(UPLINK_KINDS as readonly string[]).includes(parsed.kind)) return;
    // In a share group, statuses come through the status listener, in the broker's order.
    if (shared && parsed.kind === 'status') return;
    const receivedAt = ctx.clock.now();
    if (!(await known.has(parsed.deviceId))) {
      ctx.metrics.rejected.inc({ kind: parsed.kind, reason: 'unknown_device' });
      logger.warn({ deviceId: parsed.deviceId, kind: parsed.kind }, 'message from an unregistered device ignored');
      return;
    }
    const u = { deviceId: parsed.deviceId, kind: parsed.kind as UplinkKind, payload, receivedAt, fromWill: true };
    await handleUplink(ctx, u);
  };

  client = mqtt.connect(brokerUrl, {
    protocolVersion: 5,
    clientId,
    clean: false,
    // The broker keeps our subscription and unacknowledged messages for a day while we are down.
    properties: { sessionExpiryInterval: 24 * 3600, maximumPacketSize: MAX_PACKET_BYTES, receiveMaximum: 100 },
    reconnectPeriod: 1_000,
    connectTimeout: 10_000,
    customHandleAcks: (topic, message, _packet, done) => {
      handle(topic, message).then(
        () => done(0),
        (err: unknown) => {
          // P1: no PUBACK for what is not stored. Dropping the connection makes the broker
          // redeliver it from our session when we reconnect.
          logger.error({ err, topic }, 'message could not be stored; reconnecting for redelivery');
          client?.stream.destroy();
        },
      );
    },
  });
  const connack = await new Promise<IConnackPacket>((resolve, reject) => {
    client?.once('connect', resolve);
    client?.once('error', reject);
  }).catch(async (err: unknown) => {
    await client?.endAsync(true);
    throw err;
  });
  client.on('error', (err) => logger.warn({ err }, 'external MQTT broker error'));
  client.on('message', (topic, message, packet) => {
    // QoS 0 messages bypass customHandleAcks.
    if (packet.qos === 0) void handle(topic, message).catch((err: unknown) => logger.error({ err, topic }, 'QoS 0 message failed'));
  });

  shared = connack.properties?.sharedSubscriptionAvailable !== false;
  const forgetDeparted = shared
    ? ctx.events.on('device.disconnected', (e) => void (e.lastWill && ctx.connections.forget(e.deviceId, e.at)), { origin: 'remote' })
    : () => {};
  let statuses: StatusListener | undefined;
  if (shared) {
    // Sessions kept by an earlier version hold the one filter that took statuses too.
    if (connack.sessionPresent) await client.unsubscribeAsync(`$share/${shareGroup}/${UPLINKS}`);
    statuses = await listenToStatus({ url: brokerUrl, clientId: `${clientId}-status`, ctx, known, logger, supervising });
  }
  const filters = shared ? SHARED_KINDS.map((kind) => `$share/${shareGroup}/v1/devices/+/${kind}`) : [UPLINKS];
  await client.subscribeAsync(filters, { qos: 1 });
  logger.info({ clientId, filters, sessionPresent: connack.sessionPresent }, 'consuming from the external MQTT broker');

  return {
    publish: async (topic, payload, retain) => {
      await client?.publishAsync(topic, payload, { qos: 1, retain });
    },
    isConnected: () => client?.connected ?? false,
    stop: async () => {
      forgetDeparted();
      await statuses?.stop();
      await client?.endAsync();
      client = undefined;
    },
  };
}
