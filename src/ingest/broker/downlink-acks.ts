import type { Aedes, Client } from 'aedes';
import type { EventBus } from '../../events/index.ts';
import type { Clock } from '../../platform/index.ts';
import { type Principal, parseDeviceTopic } from '../topics.ts';

const MAX_AWAITED = 20;

/**
 * Issue 14 §9 (added by i14a; the one hook in ingest for the `config` downlink): turns a device's
 * PUBACK of its `config` downlink into `downlink.acknowledged`, so src/health/config-downlink.ts
 * stops resending it. aedes hands the acknowledged packet to its `ack` event only for persistent
 * sessions; for clean sessions (and retained messages) it passes none, so the QoS 1 downlinks
 * sent to each device are remembered in order and each PUBACK is matched to the oldest.
 */
export function reportDownlinkAcks(broker: Aedes, principals: WeakMap<Client, Principal>, events: EventBus, clock: Clock): void {
  const awaited = new Map<string, string[]>();
  const expect = (deviceId: string, kind: string) => {
    const list = awaited.get(deviceId) ?? [];
    if (list.length < MAX_AWAITED) list.push(kind);
    awaited.set(deviceId, list);
  };
  broker.on('publish', (packet, client) => {
    if (client || packet.qos === 0) return;
    const t = parseDeviceTopic(packet.topic);
    if (t && (t.kind === 'config' || t.kind === 'ack')) expect(t.deviceId, t.kind);
  });
  // Subscribing to its config topic, a device receives the retained config at once.
  broker.on('subscribe', (subscriptions, client) => {
    const p = principals.get(client);
    if (p?.kind === 'device' && subscriptions.some((s) => s.topic === `v1/devices/${p.id}/config` && s.qos > 0)) expect(p.id, 'config');
  });
  broker.on('ack', (packet, client) => {
    const p = principals.get(client);
    if (p?.kind !== 'device') return;
    const known = packet && 'topic' in packet ? parseDeviceTopic(packet.topic)?.kind : undefined;
    const kind = known ?? awaited.get(p.id)?.shift();
    if (kind === 'config') events.emit('downlink.acknowledged', { deviceId: p.id, topic: 'config', at: clock.now() });
  });
  broker.on('clientDisconnect', (client) => {
    const p = principals.get(client);
    if (p?.kind === 'device') awaited.delete(p.id);
  });
}
