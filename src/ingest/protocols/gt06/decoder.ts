import { crc16X25 } from '../crc.ts';

/**
 * Concox GT06 over TCP (docs/protocols.md "GT06"): frames `78 78 len proto info serial crc 0D 0A`
 * (one-byte length) or `79 79 lenHi lenLo …` (two-byte length). The length counts protocol number,
 * information, serial and CRC; the CRC-ITU covers length through serial.
 */
export const MSG = {
  login: 0x01,
  location: 0x12,
  heartbeat: 0x13,
  alarm: 0x16,
  location2: 0x22,
  alarm2: 0x26,
} as const;

/** Nothing a GT06 sends for us is longer; a longer length field is garbage or a flood. */
export const MAX_FRAME_BYTES = 1024;

export interface Gt06Status {
  /** Voltage level 0–6 as a battery percentage. */
  battery: number;
  charging: boolean;
  /** GSM signal 0–4. */
  gsmBars: number;
  /** Alarm byte of the alarm/language word (0 = normal). */
  alarm: number;
}

export interface Gt06Position {
  /** Device time, UTC, epoch ms. */
  at: number;
  lat: number;
  lon: number;
  valid: boolean;
  speedKmh: number;
  satellites: number;
}

export type Gt06Message =
  | { type: 'login'; imei: string }
  | { type: 'heartbeat'; status: Gt06Status }
  | { type: 'location'; position: Gt06Position }
  | { type: 'alarm'; position: Gt06Position; status: Gt06Status }
  | { type: 'unknown' };

export interface Gt06Frame {
  protocol: number;
  serial: number;
  message: Gt06Message;
  /** The whole frame, start bits to stop bits. */
  raw: Buffer;
}

/** What the splitter found at the head of a buffer. */
export type SplitResult =
  | { kind: 'frame'; frame: Gt06Frame; used: number }
  | { kind: 'need_more' }
  /** The frame is whole but unreadable: skip `used` bytes (and count it). */
  | { kind: 'bad'; reason: 'bad_crc' | 'bad_stop' | 'malformed'; used: number }
  /** The stream cannot be resynchronised: close the socket. */
  | { kind: 'fatal'; reason: 'garbage' | 'oversized' | 'bad_length' };

export interface Envelope {
  protocol: number;
  info: Buffer;
  serial: number;
  /** Bytes the frame takes, start bits to stop bits. */
  total: number;
}

/** Framing, length and CRC only: what both sides (server and tracker) read first. */
export function readEnvelope(
  buf: Buffer,
): { kind: 'frame'; envelope: Envelope } | Exclude<SplitResult, { kind: 'frame' } | { kind: 'bad'; reason: 'malformed' }> {
  if (buf.length < 2)
    return buf.length === 1 && buf[0] !== 0x78 && buf[0] !== 0x79 ? { kind: 'fatal', reason: 'garbage' } : { kind: 'need_more' };
  const long = buf[0] === 0x79 && buf[1] === 0x79;
  if (!long && !(buf[0] === 0x78 && buf[1] === 0x78)) return { kind: 'fatal', reason: 'garbage' };
  const lenBytes = long ? 2 : 1;
  if (buf.length < 2 + lenBytes) return { kind: 'need_more' };
  const len = long ? buf.readUInt16BE(2) : (buf[2] as number);
  // protocol (1) + serial (2) + crc (2) at least.
  if (len < 5) return { kind: 'fatal', reason: 'bad_length' };
  const total = 2 + lenBytes + len + 2;
  if (total > MAX_FRAME_BYTES) return { kind: 'fatal', reason: 'oversized' };
  if (buf.length < total) return { kind: 'need_more' };
  if (buf[total - 2] !== 0x0d || buf[total - 1] !== 0x0a) return { kind: 'bad', reason: 'bad_stop', used: total };
  const crcAt = total - 4;
  if (crc16X25(buf, 2, crcAt) !== buf.readUInt16BE(crcAt)) return { kind: 'bad', reason: 'bad_crc', used: total };
  return {
    kind: 'frame',
    envelope: {
      protocol: buf[2 + lenBytes] as number,
      info: buf.subarray(3 + lenBytes, crcAt - 2),
      serial: buf.readUInt16BE(crcAt - 2),
      total,
    },
  };
}

export function splitFrame(buf: Buffer): SplitResult {
  const r = readEnvelope(buf);
  if (r.kind !== 'frame') return r;
  const { protocol, info, serial, total } = r.envelope;
  const message = decodeInfo(protocol, info);
  if (!message) return { kind: 'bad', reason: 'malformed', used: total };
  return { kind: 'frame', frame: { protocol, serial, message, raw: Buffer.from(buf.subarray(0, total)) }, used: total };
}

function decodeInfo(protocol: number, info: Buffer): Gt06Message | undefined {
  switch (protocol) {
    case MSG.login:
      // IMEI as 8 BCD bytes (a leading 0 nibble); some models append type and time zone.
      if (info.length < 8) return undefined;
      return { type: 'login', imei: bcd(info.subarray(0, 8)).replace(/^0/, '') };
    case MSG.heartbeat:
      if (info.length < 5) return undefined;
      return { type: 'heartbeat', status: status(info, 0) };
    case MSG.location:
    case MSG.location2:
      if (info.length < 18) return undefined;
      return { type: 'location', position: position(info) };
    case MSG.alarm:
    case MSG.alarm2: {
      // GPS (18) + LBS length byte and its cell (the byte counts itself) + status (5).
      if (info.length < 19) return undefined;
      const lbsLength = info[18] as number;
      const statusAt = 18 + Math.max(lbsLength, 1);
      if (info.length < statusAt + 5) return undefined;
      return { type: 'alarm', position: position(info), status: status(info, statusAt) };
    }
    default:
      return { type: 'unknown' };
  }
}

function bcd(bytes: Buffer): string {
  let s = '';
  for (const b of bytes) s += (b >> 4).toString(16) + (b & 0x0f).toString(16);
  return s;
}

function position(info: Buffer): Gt06Position {
  const at = Date.UTC(2000 + (info[0] as number), (info[1] as number) - 1, info[2], info[3], info[4], info[5]);
  const flags = info.readUInt16BE(16);
  // Coordinates are minutes × 30,000; bit 10 set = north, bit 11 set = west, bit 12 = GPS fixed.
  const lat = (info.readUInt32BE(7) / 30_000 / 60) * (flags & 0x0400 ? 1 : -1);
  const lon = (info.readUInt32BE(11) / 30_000 / 60) * (flags & 0x0800 ? -1 : 1);
  return { at, lat, lon, valid: (flags & 0x1000) !== 0, speedKmh: info[15] as number, satellites: (info[6] as number) & 0x0f };
}

function status(info: Buffer, at: number): Gt06Status {
  const terminal = info[at] as number;
  const voltage = Math.min(info[at + 1] as number, 6);
  return {
    battery: Math.round((voltage * 100) / 6),
    charging: (terminal & 0x04) !== 0,
    gsmBars: Math.min(info[at + 2] as number, 4),
    alarm: info[at + 3] as number,
  };
}

/** The server's answer to login, heartbeat and alarm: protocol number and serial echoed. */
export function encodeResponse(protocol: number, serial: number): Buffer {
  const out = Buffer.from([0x78, 0x78, 0x05, protocol, serial >> 8, serial & 0xff, 0, 0, 0x0d, 0x0a]);
  out.writeUInt16BE(crc16X25(out, 2, 6), 6);
  return out;
}

/** Builds a frame (the simulator's and the tests' encoder). `long` uses 79 79 framing. */
export function encodeFrame(protocol: number, info: Uint8Array, serial: number, long = false): Buffer {
  const len = 1 + info.length + 2 + 2;
  const head = long ? Buffer.from([0x79, 0x79, len >> 8, len & 0xff]) : Buffer.from([0x78, 0x78, len]);
  const body = Buffer.concat([head, Buffer.from([protocol]), info, Buffer.from([serial >> 8, serial & 0xff])]);
  const crc = crc16X25(body, 2, body.length);
  return Buffer.concat([body, Buffer.from([crc >> 8, crc & 0xff, 0x0d, 0x0a])]);
}
