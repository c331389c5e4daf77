import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { meaningOf, parseContactId } from './contact-id.ts';
import { ack, checkEnvelope, encodeMessage, frameBody, inWindow, nak, parseBody, splitFrame } from './frame.ts';

const KEY = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
const T = Date.UTC(2026, 10, 30, 8, 0, 0);
const noKeys = () => undefined;
const read = (frame: string, keyFor: (a: string) => Buffer | undefined = noKeys) => {
  const env = checkEnvelope(Buffer.from(frame, 'latin1'));
  if (!env.ok) return env;
  return parseBody(env.body, keyFor);
};

/**
 * Golden frames. CRCs are CRC-16/ARC (poly 0xA001 reflected, init 0) over the text from the
 * opening quote to the timestamp, checked by hand with an independent bitwise implementation of
 * the SIA DC-07 algorithm; the encrypted one was decrypted with `openssl enc -d -aes-128-cbc
 * -K 000102…0f -iv 0 -nopad` to `<pad>|#5678|1121 01 002]_08:00:00,11-30-2026`.
 */
describe('SIA DC-09 golden frames', () => {
  it('reads a NULL supervision poll: account 1234, sequence 0001 (CRC 0xDBA3, length 0x013)', () => {
    expect(read('\nDBA30013"NULL"0001L0#1234[]\r')).toEqual({
      ok: true,
      message: {
        encrypted: false,
        id: 'NULL',
        seq: '0001',
        receiver: undefined,
        line: '0',
        account: '1234',
        data: '',
        extended: {},
        timestamp: undefined,
      },
    });
  });

  it('reads an ADM-CID panic 1120 with position and timestamp (CRC 0x1CA0, length 0x056)', () => {
    const r = read('\n1CA00056"ADM-CID"0002R1L0#1234[#1234|1120 01 015][X-99.133209][Y19.432608]_08:00:00,11-30-2026\r');
    expect(r).toMatchObject({
      ok: true,
      message: {
        id: 'ADM-CID',
        seq: '0002',
        receiver: '1',
        account: '1234',
        data: '#1234|1120 01 015',
        extended: { X: '-99.133209', Y: '19.432608' },
        timestamp: T,
      },
    });
  });

  it('reads an AES-128 encrypted ADM-CID duress 1121 from account 5678 (CRC 0x65E3, length 0x076)', () => {
    const frame =
      '\n65E30076"*ADM-CID"0003L0#5678[5AB26FD4C62A1ACBAED928B6120B1B98BD3DECC8EF7690967E6ADEEE47F12D27E7B7CFE43AB9F4DE7F041482F5092A16\r';
    expect(read(frame, (a) => (a === '5678' ? KEY : undefined))).toMatchObject({
      ok: true,
      message: { encrypted: true, id: 'ADM-CID', account: '5678', data: '#5678|1121 01 002', timestamp: T },
    });
  });

  it('answers ACK with the message sequence, receiver, line and account (CRC 0xBC69)', () => {
    const h = { encrypted: false, id: 'ADM-CID', seq: '0002', receiver: '1', line: '0', account: '1234' };
    expect(ack(h, T + 5000, undefined).toString('latin1')).toBe('\nBC690028"ACK"0002R1L0#1234[]_08:00:05,11-30-2026\r');
  });

  it('answers an encrypted message with an encrypted ACK the sender can read', () => {
    const h = { encrypted: true, id: 'ADM-CID', seq: '0003', receiver: undefined, line: '0', account: '5678' };
    const r = read(ack(h, T, KEY).toString('latin1'), () => KEY);
    expect(r).toMatchObject({ ok: true, message: { id: 'ACK', seq: '0003', account: '5678', timestamp: T } });
  });

  it('answers NAK with the receiver time and no account', () => {
    const text = nak(T).toString('latin1');
    expect(text.slice(9)).toBe('"NAK"0000R0L0A0[]_08:00:00,11-30-2026\r');
    expect(checkEnvelope(Buffer.from(text, 'latin1')).ok).toBe(true);
  });

  it('round-trips whatever the simulator encodes, with and without a key', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.boolean(),
        fc.constantFrom('1120', '1121', '1130', '3301', '1602'),
        (seq, keyed, code) => {
          const frame = encodeMessage({ id: 'ADM-CID', seq: String(seq).padStart(4, '0'), account: 'ABC123' }, `#ABC123|${code} 01 001`, {
            key: keyed ? KEY : undefined,
            timestamp: T,
          });
          expect(read(frame.toString('latin1'), () => (keyed ? KEY : undefined))).toMatchObject({
            ok: true,
            message: { data: `#ABC123|${code} 01 001` },
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('SIA DC-09 malformed frames', () => {
  it('refuses a wrong CRC', () => {
    expect(read('\nDBA40013"NULL"0001L0#1234[]\r')).toEqual({ ok: false, reason: 'bad_crc' });
  });

  it('refuses a length field that does not match the text', () => {
    expect(read('\nDBA30014"NULL"0001L0#1234[]\r')).toEqual({ ok: false, reason: 'bad_length' });
  });

  it('refuses a frame too short to hold CRC and length', () => {
    expect(read('\nDBA3\r')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses plain text from an account that has a key (anyone knowing the number could forge it)', () => {
    expect(read('\nDBA30013"NULL"0001L0#1234[]\r', () => KEY)).toMatchObject({ ok: false, reason: 'unencrypted' });
  });

  it('refuses an encrypted message for an account without a key, and one that does not decrypt', () => {
    const frame = encodeMessage({ id: 'NULL', seq: '0001', account: '1234' }, '', { key: KEY, timestamp: T }).toString('latin1');
    expect(read(frame)).toMatchObject({ ok: false, reason: 'no_key', header: { account: '1234' } });
    expect(read(frame, () => Buffer.alloc(16, 7))).toMatchObject({ ok: false });
  });

  it('accepts timestamps from 40 s behind to 20 s ahead of the receiver, and nothing outside', () => {
    expect(inWindow(T - 40_000, T)).toBe(true);
    expect(inWindow(T + 20_000, T)).toBe(true);
    expect(inWindow(T - 40_001, T)).toBe(false);
    expect(inWindow(T + 20_001, T)).toBe(false);
    expect(inWindow(undefined, T)).toBe(true);
  });

  it('splits a TCP stream at LF … CR, refusing garbage and frames longer than any DC-09 message', () => {
    const two = Buffer.concat([frameBody('"NULL"0001L0#1234[]'), frameBody('"NULL"0002L0#1234[]')]);
    expect(splitFrame(two)).toMatchObject({ kind: 'frame', used: 29 });
    expect(splitFrame(Buffer.from('\nDBA3'))).toEqual({ kind: 'need_more' });
    expect(splitFrame(Buffer.from('hello'))).toEqual({ kind: 'fatal', reason: 'garbage' });
    expect(splitFrame(Buffer.concat([Buffer.from('\n'), Buffer.alloc(2000, 0x41)]))).toEqual({ kind: 'fatal', reason: 'oversized' });
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const body = `"${s}`;
        parseBody(body, () => KEY);
        parseBody(body, noKeys);
        checkEnvelope(frameBody(s));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('Contact ID meanings', () => {
  it.each([
    ['#1234|1120 01 015', 'alarm', 'panic'],
    ['1121 01 001', 'alarm', 'duress'],
    ['1122 01 001', 'alarm', 'panic'],
    ['1130 01 004', 'alarm', 'intrusion'],
    ['1301 00 000', 'event', 'power_lost'],
    ['3301 00 000', 'event', 'power_restored'],
    ['1110 01 002', 'alarm', 'panic'],
    ['3130 01 004', 'alive', undefined],
    ['1602 00 000', 'alive', undefined],
  ])('%s is %s %s', (data, type, kind) => {
    const cid = parseContactId(data);
    expect(cid).toBeDefined();
    const m = meaningOf(cid as NonNullable<typeof cid>);
    expect(m.type).toBe(type);
    if (kind) expect('kind' in m ? m.kind : undefined).toBe(kind);
  });

  it('does not read malformed Contact ID data', () => {
    expect(parseContactId('1120 1 015')).toBeUndefined();
    expect(parseContactId('9120 01 015')).toBeUndefined();
  });
});
