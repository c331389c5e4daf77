/**
 * Iridium Short Burst Data DirectIP (docs/protocols.md "Iridium SBD DirectIP"), protocol
 * revision 1: `01 | overall length (u16 BE) | IEs…`, each IE `id (u8) | length (u16 BE) | content`.
 * Mobile-originated: header 0x01, payload 0x02, location 0x03, confirmation 0x05.
 * Mobile-terminated: header 0x41, payload 0x42, confirmation 0x44.
 */
export const PROTOCOL_REVISION = 1;
export const IE = {
  moHeader: 0x01,
  moPayload: 0x02,
  moLocation: 0x03,
  moConfirmation: 0x05,
  mtHeader: 0x41,
  mtPayload: 0x42,
  mtConfirmation: 0x44,
} as const;
/** The largest MO payload is 1,960 bytes; with header and location a message stays far below this. */
export const MAX_MESSAGE_BYTES = 2100;

/** Session statuses 0–2 delivered the message; 10 and above are failed transfers. */
export const SESSION_STATUS: Record<number, string> = {
  0: 'success',
  1: 'success, MT message too large',
  2: 'success, location unacceptable',
  10: 'call did not complete in the allowed time',
  12: 'MO message too large',
  13: 'RF link loss',
  14: 'IMEI protocol anomaly',
  15: 'IMEI prohibited from the gateway',
};
export const sessionSucceeded = (status: number): boolean => status <= 2;

export interface MoHeader {
  cdrReference: number;
  imei: string;
  sessionStatus: number;
  momsn: number;
  mtmsn: number;
  /** Time of session, epoch ms. */
  sessionAt: number;
}

export interface MoLocation {
  lat: number;
  lon: number;
  /** Circular error probable radius, km. */
  cepKm: number;
}

export interface MoMessage {
  header: MoHeader;
  payload: Buffer | undefined;
  location: MoLocation | undefined;
  /** IE ids not understood (ignored, counted). */
  unknownIes: number[];
}

export type Envelope = { kind: 'frame'; frame: Buffer; used: number } | { kind: 'need_more' } | { kind: 'fatal'; reason: string };

/** One whole DirectIP message at the head of a stream. */
export function splitMessage(buf: Buffer): Envelope {
  if (buf.length === 0) return { kind: 'need_more' };
  if (buf[0] !== PROTOCOL_REVISION) return { kind: 'fatal', reason: 'garbage' };
  if (buf.length < 3) return { kind: 'need_more' };
  const total = 3 + buf.readUInt16BE(1);
  if (total > MAX_MESSAGE_BYTES) return { kind: 'fatal', reason: 'oversized' };
  if (buf.length < total) return { kind: 'need_more' };
  return { kind: 'frame', frame: Buffer.from(buf.subarray(0, total)), used: total };
}

/** The IEs of a whole message; undefined when one runs past the end (a wrong length field). */
export function readIes(msg: Buffer): Map<number, Buffer> | undefined {
  const ies = new Map<number, Buffer>();
  let at = 3;
  while (at < msg.length) {
    if (at + 3 > msg.length) return undefined;
    const id = msg[at] as number;
    const len = msg.readUInt16BE(at + 1);
    if (at + 3 + len > msg.length) return undefined;
    ies.set(id, msg.subarray(at + 3, at + 3 + len));
    at += 3 + len;
  }
  return ies;
}

export type MoParse = { ok: true; message: MoMessage } | { ok: false; reason: 'bad_length' | 'no_header' | 'malformed' };

export function parseMo(msg: Buffer): MoParse {
  const ies = readIes(msg);
  if (!ies) return { ok: false, reason: 'bad_length' };
  const h = ies.get(IE.moHeader);
  if (!h) return { ok: false, reason: 'no_header' };
  if (h.length !== 28) return { ok: false, reason: 'malformed' };
  const imei = h.subarray(4, 19).toString('latin1');
  if (!/^\d{15}$/.test(imei)) return { ok: false, reason: 'malformed' };
  const header: MoHeader = {
    cdrReference: h.readUInt32BE(0),
    imei,
    sessionStatus: h[19] as number,
    momsn: h.readUInt16BE(20),
    mtmsn: h.readUInt16BE(22),
    sessionAt: h.readUInt32BE(24) * 1000,
  };
  const loc = ies.get(IE.moLocation);
  const unknownIes = [...ies.keys()].filter((k) => k !== IE.moHeader && k !== IE.moPayload && k !== IE.moLocation);
  return {
    ok: true,
    message: { header, payload: ies.get(IE.moPayload), location: loc && loc.length === 11 ? location(loc) : undefined, unknownIes },
  };
}

function location(b: Buffer): MoLocation {
  // Flags: bit 1 = south (NSI), bit 0 = west (EWI); degrees then thousandths of a minute.
  const flags = b[0] as number;
  const lat = ((b[1] as number) + b.readUInt16BE(2) / 60_000) * (flags & 0x02 ? -1 : 1);
  const lon = ((b[4] as number) + b.readUInt16BE(5) / 60_000) * (flags & 0x01 ? -1 : 1);
  return { lat: Number(lat.toFixed(5)), lon: Number(lon.toFixed(5)), cepKm: b.readUInt32BE(7) };
}

function message(...ies: [number, Buffer][]): Buffer {
  const body = Buffer.concat(
    ies.map(([id, content]) => Buffer.concat([Buffer.from([id, content.length >> 8, content.length & 0xff]), content])),
  );
  return Buffer.concat([Buffer.from([PROTOCOL_REVISION, body.length >> 8, body.length & 0xff]), body]);
}

/** The MO confirmation the vendor application answers with (1 = received). */
export function moConfirmation(success: boolean): Buffer {
  return message([IE.moConfirmation, Buffer.from([success ? 1 : 0])]);
}

/** A mobile-terminated message to one IMEI (the acknowledgement of an alarm, say). */
export function encodeMt(clientMessageId: number, imei: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(21);
  header.writeUInt32BE(clientMessageId >>> 0, 0);
  header.write(imei, 4, 15, 'latin1');
  // Disposition flags 0: queue behind any earlier MT message.
  return message([IE.mtHeader, header], [IE.mtPayload, payload]);
}

export interface MtConfirmation {
  clientMessageId: number;
  imei: string;
  autoId: number;
  /** > 0: queued at this position; 0: no payload; < 0: refused (e.g. -1 invalid IMEI, -5 queue full). */
  status: number;
}

export function parseMtConfirmation(msg: Buffer): MtConfirmation | undefined {
  const c = readIes(msg)?.get(IE.mtConfirmation);
  if (c?.length !== 25) return undefined;
  return {
    clientMessageId: c.readUInt32BE(0),
    imei: c.subarray(4, 19).toString('latin1'),
    autoId: c.readUInt32BE(19),
    status: c.readInt16BE(23),
  };
}

/** Builders for the simulator and the tests: an MO message as the Iridium gateway sends it. */
export function encodeMo(h: MoHeader, payload?: Buffer, loc?: MoLocation): Buffer {
  const header = Buffer.alloc(28);
  header.writeUInt32BE(h.cdrReference, 0);
  header.write(h.imei, 4, 15, 'latin1');
  header[19] = h.sessionStatus;
  header.writeUInt16BE(h.momsn, 20);
  header.writeUInt16BE(h.mtmsn, 22);
  header.writeUInt32BE(Math.floor(h.sessionAt / 1000), 24);
  const ies: [number, Buffer][] = [[IE.moHeader, header]];
  if (loc) {
    const b = Buffer.alloc(11);
    b[0] = (loc.lat < 0 ? 0x02 : 0) | (loc.lon < 0 ? 0x01 : 0);
    const lat = Math.abs(loc.lat);
    const lon = Math.abs(loc.lon);
    b[1] = Math.floor(lat);
    b.writeUInt16BE(Math.round((lat - Math.floor(lat)) * 60_000), 2);
    b[4] = Math.floor(lon);
    b.writeUInt16BE(Math.round((lon - Math.floor(lon)) * 60_000), 5);
    b.writeUInt32BE(loc.cepKm, 7);
    ies.push([IE.moLocation, b]);
  }
  if (payload) ies.push([IE.moPayload, payload]);
  return message(...ies);
}

export function encodeMtConfirmation(c: MtConfirmation): Buffer {
  const b = Buffer.alloc(25);
  b.writeUInt32BE(c.clientMessageId >>> 0, 0);
  b.write(c.imei, 4, 15, 'latin1');
  b.writeUInt32BE(c.autoId, 19);
  b.writeInt16BE(c.status, 23);
  return message([IE.mtConfirmation, b]);
}
