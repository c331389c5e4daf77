import { createCipheriv, createDecipheriv, randomInt } from 'node:crypto';
import { crc16Arc } from '../crc.ts';

/**
 * SIA DC-09 transmission frames (docs/protocols.md "SIA DC-09"):
 * `LF crc(4 hex) 0LLL(length, hex) "ID"seq(4)[Rrcvr][Lpref]#acct[data…]_HH:MM:SS,MM-DD-YYYY CR`.
 * The CRC-16 (ARC) and the length cover the text from the opening quote to the timestamp. With
 * encryption (`"*ID"`) everything after `[` is AES-CBC (zero IV) of random padding, `|`, the data
 * and the timestamp, in upper-case hex.
 */
export const LF = 0x0a;
export const CR = 0x0d;
/** A DC-09 frame carrying Contact ID is far shorter; anything longer is refused. */
export const MAX_FRAME_BYTES = 1024;

export interface Dc09Header {
  encrypted: boolean;
  id: string;
  seq: string;
  receiver: string | undefined;
  line: string | undefined;
  account: string;
}

export interface Dc09Message extends Dc09Header {
  /** The data between `[` and `]` (empty for NULL). */
  data: string;
  /** Extended data blocks after the data, e.g. `X-99.1332` longitude, `Y19.4326` latitude. */
  extended: Record<string, string>;
  /** Sender's time (UTC epoch ms), when the message carried one. */
  timestamp: number | undefined;
}

export type Dc09Parse =
  | { ok: true; message: Dc09Message }
  /** Header read (the answer can name the account), but the message cannot be accepted. */
  | { ok: false; reason: string; header?: Dc09Header | undefined };

const HEADER = /^"(\*?)([A-Z0-9-]{3,10})"(\d{4})(?:R([0-9A-F]{1,6}))?(?:L([0-9A-F]{1,6}))?#([0-9A-F]{3,16})\[/;
const REST = /^([^\]]*)\]((?:\[[^\]]*\])*)(?:_(\d{2}):(\d{2}):(\d{2}),(\d{2})-(\d{2})-(\d{4}))?$/;

/** The text between the length field and CR, after CRC and length checks; `null` if either fails. */
export function checkEnvelope(frame: Buffer): { ok: true; body: string } | { ok: false; reason: 'bad_crc' | 'bad_length' | 'malformed' } {
  if (frame.length < 10 || frame[0] !== LF || frame[frame.length - 1] !== CR) return { ok: false, reason: 'malformed' };
  const head = frame.subarray(1, 9).toString('latin1');
  if (!/^[0-9A-Fa-f]{4}0[0-9A-Fa-f]{3}$/.test(head)) return { ok: false, reason: 'malformed' };
  const body = frame.subarray(9, frame.length - 1);
  if (Number.parseInt(head.slice(4), 16) !== body.length) return { ok: false, reason: 'bad_length' };
  if (Number.parseInt(head.slice(0, 4), 16) !== crc16Arc(body)) return { ok: false, reason: 'bad_crc' };
  return { ok: true, body: body.toString('latin1') };
}

/** Reads a checked body; `keyFor` gives the AES key of an account (undefined: none configured). */
export function parseBody(body: string, keyFor: (account: string) => Buffer | undefined): Dc09Parse {
  const h = HEADER.exec(body);
  if (!h) return { ok: false, reason: 'malformed' };
  const header: Dc09Header = {
    encrypted: h[1] === '*',
    id: h[2] as string,
    seq: h[3] as string,
    receiver: h[4],
    line: h[5],
    account: h[6] as string,
  };
  let rest = body.slice(h[0].length);
  const key = keyFor(header.account);
  if (header.encrypted) {
    if (!key) return { ok: false, reason: 'no_key', header };
    const plain = decrypt(rest, key);
    const bar = plain?.indexOf('|') ?? -1;
    if (plain === undefined || bar < 0) return { ok: false, reason: 'decrypt_failed', header };
    rest = plain.slice(bar + 1);
    // The data of an encrypted ADM-CID starts with its own `#acct|`; the header's account rules.
  } else if (key) {
    // P6: an account with a key must encrypt, or anyone who knows its number could raise or hide alarms.
    return { ok: false, reason: 'unencrypted', header };
  }
  const r = REST.exec(rest);
  if (!r) return { ok: false, reason: 'malformed', header };
  const extended: Record<string, string> = {};
  for (const block of (r[2] ?? '').match(/\[[^\]]*\]/g) ?? []) {
    const inner = block.slice(1, -1);
    if (inner.length > 0) extended[inner[0] as string] = inner.slice(1);
  }
  const timestamp = r[3] ? Date.UTC(Number(r[8]), Number(r[6]) - 1, Number(r[7]), Number(r[3]), Number(r[4]), Number(r[5])) : undefined;
  if (timestamp !== undefined && Number.isNaN(timestamp)) return { ok: false, reason: 'malformed', header };
  if (header.encrypted && timestamp === undefined) return { ok: false, reason: 'no_timestamp', header };
  return { ok: true, message: { ...header, data: r[1] as string, extended, timestamp } };
}

/** The standard's window: a message more than 20 s ahead or 40 s behind the receiver is refused. */
export function inWindow(timestamp: number | undefined, now: number): boolean {
  return timestamp === undefined || (timestamp <= now + 20_000 && timestamp >= now - 40_000);
}

function decrypt(hex: string, key: Buffer): string | undefined {
  if (hex.length === 0 || hex.length % 32 !== 0 || !/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
  try {
    const d = createDecipheriv(cipherName(key), key, Buffer.alloc(16));
    d.setAutoPadding(false);
    return Buffer.concat([d.update(Buffer.from(hex, 'hex')), d.final()]).toString('latin1');
  } catch {
    return undefined;
  }
}

const cipherName = (key: Buffer) => `aes-${key.length * 8}-cbc`;

export function stamp(at: number): string {
  const d = new Date(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `_${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())},${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}-${d.getUTCFullYear()}`;
}

/** Random padding so the encrypted text is whole AES blocks; never `[`, `]` or `|`. */
function encrypt(text: string, key: Buffer): string {
  const padLength = 16 - ((text.length + 1) % 16);
  let pad = '';
  while (pad.length < padLength) {
    const c = String.fromCharCode(randomInt(0x21, 0x7e));
    if (c !== '[' && c !== ']' && c !== '|') pad += c;
  }
  const e = createCipheriv(cipherName(key), key, Buffer.alloc(16));
  e.setAutoPadding(false);
  return Buffer.concat([e.update(Buffer.from(`${pad}|${text}`, 'latin1')), e.final()])
    .toString('hex')
    .toUpperCase();
}

/** Wraps a body in LF, CRC, length and CR. */
export function frameBody(body: string): Buffer {
  const crc = crc16Arc(Buffer.from(body, 'latin1')).toString(16).toUpperCase().padStart(4, '0');
  const len = body.length.toString(16).toUpperCase().padStart(4, '0');
  return Buffer.from(`\n${crc}${len}${body}\r`, 'latin1');
}

/**
 * Builds a message (the receiver's answers and the simulator's messages alike): `data` is what
 * goes between `[` and `]`, `extended` the blocks after it.
 */
export function encodeMessage(
  m: { id: string; seq: string; receiver?: string | undefined; line?: string | undefined; account: string },
  data: string,
  opts: { key?: Buffer | undefined; timestamp?: number | undefined; extended?: string } = {},
): Buffer {
  const route = `${m.receiver !== undefined ? `R${m.receiver}` : ''}L${m.line ?? '0'}`;
  const tail = `${data}]${opts.extended ?? ''}${opts.timestamp !== undefined ? stamp(opts.timestamp) : ''}`;
  const head = `"${opts.key ? '*' : ''}${m.id}"${m.seq}${route}#${m.account}[`;
  return frameBody(head + (opts.key ? encrypt(tail, opts.key) : tail));
}

/** ACK of an accepted message: same sequence, receiver, line and account; encrypted if it was. */
export function ack(h: Dc09Header, now: number, key: Buffer | undefined): Buffer {
  return encodeMessage({ ...h, id: 'ACK' }, '', { key: h.encrypted ? key : undefined, timestamp: now });
}

/** NAK: never encrypted, carries the receiver's time so the sender can correct its clock. */
export function nak(now: number): Buffer {
  return frameBody(`"NAK"0000R0L0A0[]${stamp(now)}`);
}

/** DUH: a readable message of a type this receiver does not handle. */
export function duh(h: Dc09Header, now: number, key: Buffer | undefined): Buffer {
  return encodeMessage({ ...h, id: 'DUH' }, '', { key: h.encrypted ? key : undefined, timestamp: now });
}

/** Splits a TCP stream at LF … CR. */
export function splitFrame(
  buf: Buffer,
): { kind: 'frame'; frame: Buffer; used: number } | { kind: 'need_more' } | { kind: 'fatal'; reason: string } {
  if (buf.length === 0) return { kind: 'need_more' };
  if (buf[0] !== LF) return { kind: 'fatal', reason: 'garbage' };
  const end = buf.indexOf(CR, 1);
  if (end < 0) return buf.length > MAX_FRAME_BYTES ? { kind: 'fatal', reason: 'oversized' } : { kind: 'need_more' };
  if (end + 1 > MAX_FRAME_BYTES) return { kind: 'fatal', reason: 'oversized' };
  return { kind: 'frame', frame: Buffer.from(buf.subarray(0, end + 1)), used: end + 1 };
}
