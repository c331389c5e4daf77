/** The wire contract's topics (docs/architecture.md) and who may use them (issue 3: topic ACL). */

export const UPLINK_KINDS = ['heartbeat', 'alarm', 'event', 'status'] as const;
export type UplinkKind = (typeof UPLINK_KINDS)[number];
export const DOWNLINK_KINDS = ['ack', 'config'] as const;
export type DownlinkKind = (typeof DOWNLINK_KINDS)[number];

/** An authenticated MQTT account: a device, or a gateway publishing for the devices listed on it. */
export type Principal = { kind: 'device'; id: string } | { kind: 'gateway'; id: string; devices: ReadonlySet<string> };

const PREFIX = 'v1/devices/';

/** `v1/devices/{id}/{kind}` → its parts; anything else → undefined. */
export function parseDeviceTopic(topic: string): { deviceId: string; kind: string } | undefined {
  if (!topic.startsWith(PREFIX)) return undefined;
  const rest = topic.slice(PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || rest.indexOf('/', slash + 1) !== -1) return undefined;
  return { deviceId: rest.slice(0, slash), kind: rest.slice(slash + 1) };
}

export const downlinkTopic = (deviceId: string, kind: DownlinkKind) => `${PREFIX}${deviceId}/${kind}`;

const mayActFor = (p: Principal, deviceId: string) => (p.kind === 'device' ? p.id === deviceId : p.devices.has(deviceId));

export type PublishDecision = { ok: true; deviceId: string; kind: UplinkKind } | { ok: false; deviceId: string; reason: string };

/** A device publishes only its own uplink topics; a gateway only those of its devices. */
export function authorizeUplink(p: Principal, topic: string): PublishDecision {
  const parsed = parseDeviceTopic(topic);
  if (!parsed) return { ok: false, deviceId: p.id, reason: 'topic_outside_contract' };
  if (!mayActFor(p, parsed.deviceId)) return { ok: false, deviceId: p.id, reason: 'foreign_device_topic' };
  if (!(UPLINK_KINDS as readonly string[]).includes(parsed.kind)) return { ok: false, deviceId: parsed.deviceId, reason: 'not_an_uplink' };
  return { ok: true, deviceId: parsed.deviceId, kind: parsed.kind as UplinkKind };
}

/** A device subscribes only to its own downlink topics, exactly (no wildcards). */
export function authorizeDownlinkSubscription(p: Principal, topic: string): boolean {
  const parsed = parseDeviceTopic(topic);
  if (!parsed) return false;
  return mayActFor(p, parsed.deviceId) && (DOWNLINK_KINDS as readonly string[]).includes(parsed.kind);
}
