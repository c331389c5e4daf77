import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeMt, moConfirmation, parseMo, parseMtConfirmation, splitMessage } from './directip.ts';
import { decodePayload, encodePayload } from './payload.ts';

const hex = (h: string) => Buffer.from(h.replace(/\s+/g, ''), 'hex');
const T = Date.UTC(2026, 10, 30, 8, 0, 0);

/**
 * Golden DirectIP messages laid out from Iridium's DirectIP specification (protocol revision 1),
 * lengths checked by hand: overall 0x0041 = header IE (3 + 28) + location IE (3 + 11) + payload
 * IE (3 + 17). DirectIP has no checksum of its own (TCP carries it); the length fields are its checks.
 */
const SOS_MO = hex(`
  01 0041
  01 001C  01020304  333030323334303130373533333730  00  002A  0000  6B0D2D00
  03 000B  01 13 6564 63 1F38 00000003
  02 0011  12 6B0D2D00 01 02 0007 012884A0 FA1758E7`);

describe('Iridium SBD DirectIP golden messages', () => {
  it('reads an MO message: IMEI 300234010753370, MOMSN 42, session OK at 2026-11-30 08:00 UTC, location 19.4326 N 99.1332 W (CEP 3 km)', () => {
    const r = parseMo(SOS_MO);
    expect(r).toMatchObject({
      ok: true,
      message: {
        header: { cdrReference: 0x01020304, imei: '300234010753370', sessionStatus: 0, momsn: 42, mtmsn: 0, sessionAt: T },
        location: { lat: 19.4326, lon: -99.1332, cepKm: 3 },
        unknownIes: [],
      },
    });
  });

  it("reads Centinela's payload in it: SOS (kind 2), alarm sequence 7, device time, position in micro-degrees", () => {
    const r = parseMo(SOS_MO);
    if (!r.ok || !r.message.payload) throw new Error('no payload');
    expect(decodePayload(r.message.payload)).toEqual({
      type: 'alarm',
      at: T,
      kind: 'sos',
      seq: 7,
      loc: { lat: 19.432608, lon: -99.133209 },
    });
  });

  it('encodes a heartbeat payload in 7 bytes: 11 | time | flags | battery 87', () => {
    expect(encodePayload({ type: 'heartbeat', at: T, battery: 87, charging: false }).toString('hex')).toBe('116b0d2d000057');
  });

  it('answers with an MO confirmation: 01 0004 05 0001 01', () => {
    expect(moConfirmation(true).toString('hex')).toBe('01000405000101');
  });

  it('builds an MT message (header IE 0x41 of 21 bytes, payload IE 0x42) and reads the MT confirmation (IE 0x44 of 25 bytes)', () => {
    const mt = encodeMt(9, '300234010753370', Buffer.from([0x20, 0x00, 0x07]));
    // Overall 0x001E = header IE (3 + 21) + payload IE (3 + 3); disposition flags 0000.
    expect(mt).toEqual(hex(`01 001E 41 0015 00000009 ${Buffer.from('300234010753370').toString('hex')} 0000 42 0003 200007`));
    const confirmation = hex(`01 001C 44 0019 00000009 ${Buffer.from('300234010753370').toString('hex')} 000003E8 0001`);
    expect(parseMtConfirmation(confirmation)).toEqual({ clientMessageId: 9, imei: '300234010753370', autoId: 1000, status: 1 });
  });
});

describe('malformed DirectIP messages', () => {
  it('waits for the rest of a short message', () => {
    expect(splitMessage(SOS_MO.subarray(0, 20))).toEqual({ kind: 'need_more' });
  });

  it('refuses a protocol revision other than 1 and an overall length beyond any MO message', () => {
    expect(splitMessage(hex('02 0041'))).toEqual({ kind: 'fatal', reason: 'garbage' });
    expect(splitMessage(hex('01 FFFF'))).toEqual({ kind: 'fatal', reason: 'oversized' });
  });

  it('refuses an IE whose length runs past the message', () => {
    expect(parseMo(hex('01 0005 01 0040 00 00'))).toEqual({ ok: false, reason: 'bad_length' });
  });

  it('refuses a message with no MO header, or a header of the wrong size', () => {
    expect(parseMo(hex('01 0004 02 0001 12'))).toEqual({ ok: false, reason: 'no_header' });
    expect(parseMo(hex('01 0004 01 0001 00'))).toEqual({ ok: false, reason: 'malformed' });
  });

  it('lists IEs it does not know instead of failing', () => {
    const withExtra = Buffer.concat([hex('01 0045'), SOS_MO.subarray(3), hex('09 0001 FF')]);
    expect(parseMo(withExtra)).toMatchObject({ ok: true, message: { unknownIes: [9] } });
  });

  it('does not read payloads of another format, an unknown kind or a battery over 100 %', () => {
    expect(decodePayload(Buffer.from('hello world'))).toBeUndefined();
    expect(decodePayload(hex('12 6B0D2D00 00 63 0007'))).toBeUndefined();
    expect(decodePayload(hex('11 6B0D2D00 00 FF'))).toBeUndefined();
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const b = Buffer.from([0x01, bytes.length >> 8, bytes.length & 0xff, ...bytes]);
        splitMessage(b);
        parseMo(b);
        decodePayload(Buffer.from(bytes));
      }),
      { numRuns: 2000 },
    );
  });
});
