import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Dc09Communicator } from '../devices/dc09/communicator.ts';
import { startGatewayWorld } from './fixtures/gateway-world.ts';

type World = Awaited<ReturnType<typeof startGatewayWorld>>;
let w: World;
let port: number;
let dir: string;
const KEYED = 'ABC5678';
const KEY = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
let accounts = 0;
const nextAccount = () =>
  `${(Date.now() % 1_000_000).toString(16).toUpperCase()}${(++accounts).toString(16).toUpperCase().padStart(2, '0')}`;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc09-'));
  const keys = path.join(dir, 'keys.json');
  fs.writeFileSync(keys, JSON.stringify({ accounts: { [KEYED]: { key: KEY.toString('hex') } } }));
  w = await startGatewayWorld({ CENTINELA_DC09_PORT: '0', CENTINELA_DC09_KEYS_FILE: keys }, 'dc09-communicator');
  port = w.c.parts.ingest.protocolPorts.dc09 as number;
});
afterAll(async () => {
  await w?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const communicator = async (account: string, transport: 'tcp' | 'udp', extra: { key?: Buffer; clockOffsetS?: number } = {}) => {
  const c = new Dc09Communicator({ host: '127.0.0.1', port, transport, account, ...extra });
  await c.open();
  return c;
};

describe('an alarm communicator speaking SIA DC-09 with Contact ID', () => {
  test('a panic (1120) over TCP is stored with its frame and position, then ACKed with the same sequence', async () => {
    const account = nextAccount();
    const kase = await w.caseWithHardware(account);
    const c = await communicator(account, 'tcp');
    const answer = await c.contactId('1120 01 015', { lat: 19.432608, lon: -99.133209 });
    expect(answer).toMatchObject({ id: 'ACK', seq: '0001' });
    const row = await w.c.store.db.selectFrom('alarms').selectAll().where('device_id', '=', kase.deviceId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'panic', state: 'open' });
    expect(Buffer.from(row.frame_hex as string, 'hex').toString('latin1')).toContain('"ADM-CID"0001R1L0#');
    expect(JSON.parse(row.loc as string)).toEqual({ lat: 19.432608, lon: -99.133209 });
    expect(row.note).toContain('Contact ID 1120');
    const queue = (await w.api('GET', '/api/alarms?open=true', 'operator')).json() as { deviceId: string }[];
    expect(queue.some((a) => a.deviceId === kase.deviceId)).toBe(true);
    c.close();
  });

  test('NULL supervision polls over UDP are ACKed and keep the account alive', async () => {
    const account = nextAccount();
    const kase = await w.caseWithHardware(account);
    const online = w.c.events.next('device.state.changed', (e) => e.deviceId === kase.deviceId && e.to === 'online');
    const c = await communicator(account, 'udp');
    expect((await c.poll()).id).toBe('ACK');
    await online;
    c.close();
  });

  test('an encrypted duress (1121) from a keyed account is stored and answered with an encrypted ACK', async () => {
    const kase = await w.caseWithHardware(KEYED);
    const c = await communicator(KEYED, 'tcp', { key: KEY });
    const answer = await c.contactId('1121 01 002');
    expect(answer.id).toBe('ACK');
    expect(answer.raw).toContain('"*ACK"');
    const row = await w.c.store.db.selectFrom('alarms').select('kind').where('device_id', '=', kase.deviceId).executeTakeFirstOrThrow();
    expect(row.kind).toBe('duress');
    c.close();
  });

  test('AC loss (1301) becomes a power-lost device event, and its restoral (3301) power restored', async () => {
    const account = nextAccount();
    const kase = await w.caseWithHardware(account);
    const c = await communicator(account, 'udp');
    const lost = w.c.events.next('device.event.received', (e) => e.deviceId === kase.deviceId && e.kind === 'power_lost');
    expect((await c.contactId('1301 00 000')).id).toBe('ACK');
    await lost;
    const back = w.c.events.next('device.event.received', (e) => e.deviceId === kase.deviceId && e.kind === 'power_restored');
    expect((await c.contactId('3301 00 000')).id).toBe('ACK');
    await back;
    c.close();
  });
});

describe('what the DC-09 receiver refuses', () => {
  test('plain text from an account that has a key is NAKed and stores nothing', async () => {
    const c = await communicator(KEYED, 'udp');
    expect((await c.contactId('1120 01 001')).id).toBe('NAK');
    c.close();
  });

  test('an unregistered account is NAKed and recorded as an ingest error for technicians', async () => {
    const account = nextAccount();
    const c = await communicator(account, 'tcp');
    expect((await c.contactId('1120 01 001')).id).toBe('NAK');
    const errors = await w.c.parts.ingest.ingestErrors(`unregistered:dc09:${account}`);
    expect(errors.counts).toEqual([expect.objectContaining({ reason: 'unregistered_hardware_id' })]);
    c.close();
  });

  test('a message stamped 60 s in the past is NAKed with the receiver time; a bad CRC is NAKed', async () => {
    const account = nextAccount();
    await w.caseWithHardware(account);
    const late = await communicator(account, 'udp', { clockOffsetS: -60 });
    const answer = await late.poll();
    expect(answer.id).toBe('NAK');
    expect(answer.raw).toMatch(/_\d\d:\d\d:\d\d,\d\d-\d\d-\d{4}\r$/);
    late.close();
    const c = await communicator(account, 'tcp');
    expect((await c.sendRaw(Buffer.from('\nDBA40013"NULL"0001L0#1234[]\r', 'latin1'))).id).toBe('NAK');
    // The connection still serves the next, good, message.
    expect((await c.poll()).id).toBe('ACK');
    c.close();
    expect(await w.metric('centinela_gateway_frames_total', 'protocol="dc09",outcome="bad_crc"')).toBeGreaterThan(0);
    expect(await w.metric('centinela_gateway_frames_total', 'protocol="dc09",outcome="outside_time_window"')).toBeGreaterThan(0);
  });

  test('a retired device is not heard any more: NAK, and an ingest error on the device for technicians', async () => {
    const account = nextAccount();
    const kase = await w.caseWithHardware(account);
    await w.api('PATCH', `/api/devices/${kase.deviceId}`, 'admin', { retiredAt: new Date(Date.now() - 60_000).toISOString() });
    const c = await communicator(account, 'udp');
    expect((await c.poll()).id).toBe('NAK');
    const errors = (await w.api('GET', `/api/devices/${kase.deviceId}/ingest-errors`, 'technician')).json() as {
      counts: { reason: string }[];
    };
    expect(errors.counts.map((x) => x.reason)).toEqual(['retired_device']);
    c.close();
  });

  test('a message type this receiver does not handle (SIA-DCS) is answered DUH', async () => {
    const account = nextAccount();
    await w.caseWithHardware(account);
    const c = await communicator(account, 'udp');
    expect((await c.send('SIA-DCS', '#1234|NBA1')).id).toBe('DUH');
    c.close();
  });
});
