import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeResponse, splitFrame } from './decoder.ts';

const hex = (h: string) => Buffer.from(h.replace(/\s+/g, ''), 'hex');

/**
 * Golden frames. Each CRC (CRC-ITU = CRC-16/X-25 over length..serial) was checked by hand with an
 * independent bitwise implementation (poly 0x8408 reflected, init 0xFFFF, xorout 0xFFFF); the
 * login frame and its answer are the Concox GT06 document's own examples.
 */
describe('GT06 golden frames', () => {
  it('reads the document login example: IMEI 123456789012345, serial 1 (CRC 0x8CDD)', () => {
    const r = splitFrame(hex('78 78 0D 01 01 23 45 67 89 01 23 45 00 01 8C DD 0D 0A'));
    expect(r).toMatchObject({
      kind: 'frame',
      used: 18,
      frame: { protocol: 1, serial: 1, message: { type: 'login', imei: '123456789012345' } },
    });
  });

  it('answers login with the document example response (CRC 0xD9DC)', () => {
    expect(encodeResponse(0x01, 1).toString('hex')).toBe('787805010001d9dc0d0a');
  });

  it('reads a heartbeat: GPS on + charging, voltage 5, GSM 3, serial 7 (CRC 0xE443)', () => {
    const r = splitFrame(hex('78 78 0A 13 44 05 03 00 02 00 07 E4 43 0D 0A'));
    expect(r).toMatchObject({
      kind: 'frame',
      frame: { protocol: 0x13, serial: 7, message: { type: 'heartbeat', status: { battery: 83, charging: true, gsmBars: 3, alarm: 0 } } },
    });
  });

  it('reads the same heartbeat in 79 79 framing with a two-byte length (CRC 0xCE2B)', () => {
    const r = splitFrame(hex('79 79 00 0A 13 44 05 03 00 02 00 08 CE 2B 0D 0A'));
    expect(r).toMatchObject({ kind: 'frame', frame: { protocol: 0x13, serial: 8, message: { type: 'heartbeat' } } });
  });

  it('reads a location laid out as the document example: 2011-08-29 17:46:16 UTC, 23.1117 N 114.4093 E (CRC 0x7377)', () => {
    const r = splitFrame(
      hex('78 78 1F 12 0B 08 1D 11 2E 10 CC 02 7A C7 EB 0C 46 58 49 00 14 8F 01 CC 00 28 7D 00 1F B8 00 03 73 77 0D 0A'),
    );
    expect(r.kind).toBe('frame');
    if (r.kind !== 'frame' || r.frame.message.type !== 'location') throw new Error('not a location');
    const p = r.frame.message.position;
    expect(new Date(p.at).toISOString()).toBe('2011-08-29T17:46:16.000Z');
    expect(p.lat).toBeCloseTo(23.111668, 5);
    expect(p.lon).toBeCloseTo(114.409285, 5);
    expect(p.valid).toBe(true);
    expect(p.satellites).toBe(12);
  });

  it('reads an SOS alarm in Mexico City (19.4326 N 99.1332 W) on 2026-11-30 08:00 UTC, serial 0x0102 (CRC 0xF2B2)', () => {
    const r = splitFrame(
      hex('78 78 25 16 1A 0B 1E 08 00 00 C9 02 15 BB 86 0A A2 C6 60 00 1C 00 09 01 4E 14 12 34 00 56 78 60 04 03 01 02 01 02 F2 B2 0D 0A'),
    );
    expect(r.kind).toBe('frame');
    if (r.kind !== 'frame' || r.frame.message.type !== 'alarm') throw new Error('not an alarm');
    expect(r.frame.serial).toBe(0x0102);
    expect(r.frame.message.status.alarm).toBe(1);
    expect(r.frame.message.position.lat).toBeCloseTo(19.432608, 5);
    expect(r.frame.message.position.lon).toBeCloseTo(-99.133209, 5);
    expect(new Date(r.frame.message.position.at).toISOString()).toBe('2026-11-30T08:00:00.000Z');
  });
});

describe('GT06 malformed frames', () => {
  it('skips a frame whose CRC is wrong (counted, not answered)', () => {
    expect(splitFrame(hex('78 78 0D 01 01 23 45 67 89 01 23 45 00 01 8C DE 0D 0A'))).toEqual({ kind: 'bad', reason: 'bad_crc', used: 18 });
  });

  it('waits for the rest of a short frame', () => {
    expect(splitFrame(hex('78 78 0D 01 01 23'))).toEqual({ kind: 'need_more' });
  });

  it('refuses a length field that announces more than any GT06 frame (79 79 FF FF)', () => {
    expect(splitFrame(hex('79 79 FF FF 01'))).toEqual({ kind: 'fatal', reason: 'oversized' });
  });

  it('refuses a length too small to hold protocol, serial and CRC', () => {
    expect(splitFrame(hex('78 78 03 01 00 01 0D 0A'))).toEqual({ kind: 'fatal', reason: 'bad_length' });
  });

  it('skips a frame whose length field does not end at the stop bits', () => {
    expect(splitFrame(hex('78 78 0C 01 01 23 45 67 89 01 23 45 00 01 8C DD 0D 0A'))).toMatchObject({ kind: 'bad', reason: 'bad_stop' });
  });

  it('reads an unknown message type with a good CRC as unknown (0x99, CRC 0x7E82)', () => {
    expect(splitFrame(hex('78 78 06 99 00 00 09 7E 82 0D 0A'))).toMatchObject({ kind: 'frame', frame: { message: { type: 'unknown' } } });
  });

  it('refuses a stream that does not start with 78 78 or 79 79', () => {
    expect(splitFrame(Buffer.from('GET / HTTP/1.1\r\n'))).toEqual({ kind: 'fatal', reason: 'garbage' });
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, framed) => {
        const buf = Buffer.from(framed ? [0x78, 0x78, ...bytes] : bytes);
        const r = splitFrame(buf);
        if (r.kind === 'frame' || r.kind === 'bad') expect(r.used).toBeLessThanOrEqual(buf.length);
      }),
      { numRuns: 2000 },
    );
  });
});
