import { ALARM_KINDS } from '../../../domain/alarm.ts';
import { DEVICE_EVENT_KINDS, type DeviceEventKind } from '../../../domain/wire.ts';

/**
 * Centinela's compact SBD payload (docs/protocols.md "Centinela SBD payload"), at most 340 bytes
 * so it fits the smallest Iridium terminals' MO buffer. Big-endian:
 *
 *   0     u8   0x10 | type   (1 heartbeat, 2 alarm, 3 event)
 *   1–4   u32  device time, epoch seconds UTC
 *   5     u8   flags: bit 0 position follows, bit 1 charging
 *   6…    type-specific: heartbeat u8 battery %; alarm u8 kind (index in ALARM_KINDS) + u16 alarm
 *              sequence; event u8 kind (index in DEVICE_EVENT_KINDS)
 *   then  i32 latitude, i32 longitude in micro-degrees, when flag bit 0 is set
 *
 * The acknowledgement sent back as an MT payload is `0x20 | u16 alarm sequence`.
 */
export const MAX_PAYLOAD_BYTES = 340;

type Position = { lat: number; lon: number };
export type SbdPayload =
  | { type: 'heartbeat'; at: number; battery: number; charging: boolean; loc?: Position | undefined }
  | { type: 'alarm'; at: number; kind: (typeof ALARM_KINDS)[number]; seq: number; loc?: Position | undefined }
  | { type: 'event'; at: number; kind: DeviceEventKind; loc?: Position | undefined };

export function decodePayload(b: Buffer): SbdPayload | undefined {
  if (b.length < 7 || b.length > MAX_PAYLOAD_BYTES || ((b[0] as number) & 0xf0) !== 0x10) return undefined;
  const type = (b[0] as number) & 0x0f;
  const at = b.readUInt32BE(1) * 1000;
  const flags = b[5] as number;
  const fixed = type === 2 ? 9 : 7;
  if (b.length < fixed + (flags & 1 ? 8 : 0)) return undefined;
  const loc = flags & 1 ? { lat: b.readInt32BE(fixed) / 1e6, lon: b.readInt32BE(fixed + 4) / 1e6 } : undefined;
  if (loc && (Math.abs(loc.lat) > 90 || Math.abs(loc.lon) > 180)) return undefined;
  if (type === 1) {
    const battery = b[6] as number;
    return battery > 100 ? undefined : { type: 'heartbeat', at, battery, charging: (flags & 2) !== 0, loc };
  }
  if (type === 2) {
    const kind = ALARM_KINDS[b[6] as number];
    return kind ? { type: 'alarm', at, kind, seq: b.readUInt16BE(7), loc } : undefined;
  }
  if (type === 3) {
    const kind = DEVICE_EVENT_KINDS[b[6] as number];
    return kind ? { type: 'event', at, kind, loc } : undefined;
  }
  return undefined;
}

export function encodePayload(p: SbdPayload): Buffer {
  const typeByte = p.type === 'heartbeat' ? 1 : p.type === 'alarm' ? 2 : 3;
  const fixed = p.type === 'alarm' ? 9 : 7;
  const b = Buffer.alloc(fixed + (p.loc ? 8 : 0));
  b[0] = 0x10 | typeByte;
  b.writeUInt32BE(Math.floor(p.at / 1000), 1);
  b[5] = (p.loc ? 1 : 0) | (p.type === 'heartbeat' && p.charging ? 2 : 0);
  if (p.type === 'heartbeat') b[6] = p.battery;
  else if (p.type === 'alarm') {
    b[6] = ALARM_KINDS.indexOf(p.kind);
    b.writeUInt16BE(p.seq, 7);
  } else b[6] = DEVICE_EVENT_KINDS.indexOf(p.kind);
  if (p.loc) {
    b.writeInt32BE(Math.round(p.loc.lat * 1e6), fixed);
    b.writeInt32BE(Math.round(p.loc.lon * 1e6), fixed + 4);
  }
  return b;
}

export function alarmAckPayload(seq: number): Buffer {
  return Buffer.from([0x20, seq >> 8, seq & 0xff]);
}
