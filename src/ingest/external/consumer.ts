import os from 'node:os';
import mqtt, { type IConnackPacket, type MqttClient } from 'mqtt';
import { MAX_PACKET_BYTES } from '../../domain/wire.ts';
import type { Logger } from '../../platform/index.ts';
import type { IngestContext } from '../context.ts';
import { handleUplink } from '../pipeline.ts';
import { parseDeviceTopic, UPLINK_KINDS, type UplinkKind } from '../topics.ts';
import { KnownDevices } from './known-devices.ts';

/** Nodes of one Centinela share the uplink stream (MQTT 5 shared subscription); `?shareGroup=` overrides. */
export const SHARE_GROUP = 'centinela';
const UPLINKS = 'v1/devices/+/+';

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
export async function startExternalConsumer(url: string, ctx: IngestContext, logger: Logger): Promise<ExternalConsumer> {
  const known = new KnownDevices(ctx.repos);
  const { url: brokerUrl, clientId, shareGroup } = connectOptions(url);
  let client: MqttClient | undefined;
  /** Whether the uplinks come through a shared subscription (each message to one node). */
  let shared = true;

  const handle = async (topic: string, payload: Buffer): Promise<void> => {
    const parsed = parseDeviceTopic(topic);
    // Our own downlinks match the subscription too; anything off-contract is not ours to judge.
    if (!parsed || !(UPLINK_KINDS as readonly string[]).includes(parsed.kind)) return;
    if (!(await known.has(parsed.deviceId))) {
      ctx.metrics.rejected.inc({ kind: parsed.kind, reason: 'unknown_device' });
      logger.warn({ deviceId: parsed.deviceId, kind: parsed.kind }, 'message from an unregistered device ignored');
      return;
    }
    const receivedAt = ctx.clock.now();
    // The contract publishes `offline` only as a last will. The share group hands messages out
    // in turn, so the node that gets a device's will is seldom the one that got its `online`,
    // and it is the only node that can report the departure: it does, whatever it saw before.
    if (shared && parsed.kind === 'status' && payload.toString('utf8').trim() === 'offline') {
      ctx.metrics.messages.inc({ kind: 'status' });
      ctx.connections.left(parsed.deviceId, receivedAt);
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
  const filter = shared ? `$share/${shareGroup}/${UPLINKS}` : UPLINKS;
  await client.subscribeAsync(filter, { qos: 1 });
  logger.info({ clientId, filter, sessionPresent: connack.sessionPresent }, 'consuming from the external MQTT broker');

  return {
    publish: async (topic, payload, retain) => {
      await client?.publishAsync(topic, payload, { qos: 1, retain });
    },
    isConnected: () => client?.connected ?? false,
    stop: async () => {
      await client?.endAsync();
      client = undefined;
    },
  };
}
