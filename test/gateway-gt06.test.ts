import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Gt06Tracker } from '../devices/gt06/tracker.ts';
import { startGatewayWorld } from './fixtures/gateway-world.ts';
import { alarm, connectDevice, registerDevice } from './fixtures/mqtt.ts';

type World = Awaited<ReturnType<typeof startGatewayWorld>>;
let w: World;
let port: number;
let imeis = 0;
const nextImei = () => `86${String(Date.now()).slice(-9)}${String(++imeis).padStart(4, '0')}`;

beforeAll(async () => {
  w = await startGatewayWorld({ CENTINELA_GT06_PORT: '0' }, 'gt06-tracker');
  port = w.c.parts.ingest.protocolPorts.gt06 as number;
});
afterAll(async () => {
  await w?.stop();
});

const tracker = async (imei: string) => {
  const t = new Gt06Tracker({ host: '127.0.0.1', port, imei, retryMs: 2_000 });
  await t.connect();
  return t;
};
const MEXICO_CITY = { lat: 19.432608, lon: -99.133209 };

/** A raw TCP client that resolves when the server closes the connection. */
async function rawClient() {
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise((resolve) => socket.once('connect', resolve));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {});
  return { socket, closed };
}

describe('a GT06 panic tracker over TCP', () => {
  test('an SOS reaches the operator queue and the contacts by SMS; the tracker hears "help is coming" only once it is stored', async () => {
    const imei = nextImei();
    const kase = await w.caseWithHardware(imei);
    const t = await tracker(imei);
    await t.login();
    const pressedAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 20_000);
    const stored = w.c.events.next('alarm.raised', (e) => e.deviceId === kase.deviceId);
    await t.alarm({ at: pressedAt, ...MEXICO_CITY });
    // The answer came after the durable write: the alarm is already in the database.
    const row = await w.c.store.db.selectFrom('alarms').selectAll().where('device_id', '=', kase.deviceId).executeTakeFirstOrThrow();
    expect(row.kind).toBe('sos');
    expect(row.frame_hex).toMatch(/^78782516/);
    expect(JSON.parse(row.loc as string)).toEqual(MEXICO_CITY);
    const raised = await stored;
    expect(raised.at).toBe(pressedAt.getTime());

    const queue = (await w.api('GET', '/api/alarms?open=true', 'operator')).json() as {
      id: string;
      deviceId: string;
      raisedAt: string;
      receivedAt: string;
    }[];
    const mine = queue.find((a) => a.deviceId === kase.deviceId);
    expect(mine?.id).toBe(row.id);
    // Device time beside receive time.
    expect(mine?.raisedAt).toBe(pressedAt.toISOString());
    expect(Date.parse(mine?.receivedAt as string)).toBeGreaterThan(pressedAt.getTime());

    const es = await w.rec.waitFor((r) => r.kind === 'sms' && r.form.To === '+527471110001' && r.form.Body?.includes(row.id) === true);
    const en = await w.rec.waitFor((r) => r.kind === 'sms' && r.form.To === '+14155550123' && r.form.Body?.includes(row.id) === true);
    expect(es.form.Body).toContain(kase.beneficiary.alias);
    expect(en.form.Body).toContain(kase.beneficiary.alias);
    // The frame goes with the alarm's evidence, byte for byte, for forensics.
    const evidence = (await w.api('GET', `/api/alarms/${row.id}/evidence`, 'supervisor')).json() as { deviceMessage: { frameHex: string } };
    expect(evidence.deviceMessage.frameHex).toBe(row.frame_hex);
    t.close();
  });

  test('a retransmitted SOS (same serial, same device time) is one alarm, answered again', async () => {
    const imei = nextImei();
    const kase = await w.caseWithHardware(imei);
    const t = await tracker(imei);
    await t.login();
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    await t.alarm({ at, ...MEXICO_CITY });
    const again = await tracker(imei);
    await again.login();
    // Same serial as the first tracker's alarm (login 1, alarm 2).
    await again.alarm({ at, ...MEXICO_CITY });
    const rows = await w.c.store.db.selectFrom('alarm_presses').selectAll().where('device_id', '=', kase.deviceId).execute();
    expect(rows).toHaveLength(1);
    t.close();
    again.close();
  });

  test('login and heartbeat are answered; the heartbeat becomes telemetry (battery, charging, GSM bars)', async () => {
    const imei = nextImei();
    const kase = await w.caseWithHardware(imei);
    const t = await tracker(imei);
    const connected = w.c.events.next('device.connected', (e) => e.deviceId === kase.deviceId);
    await t.login();
    await connected;
    const hb = w.c.events.next('heartbeat.received', (e) => e.deviceId === kase.deviceId);
    await t.heartbeat({ voltage: 3, gsm: 4, charging: true });
    const e = await hb;
    expect(e.heartbeat).toMatchObject({ battery: 50, charging: true, signal: { network: '2g', bars: 4 } });
    expect(t.answers.map((a) => a.protocol)).toEqual([0x01, 0x13]);
    const disconnected = w.c.events.next('device.disconnected', (x) => x.deviceId === kase.deviceId);
    t.close();
    await disconnected;
  });

  test('a tracker that reconnects is not reported vanished when its old socket is closed later', async () => {
    const imei = nextImei();
    const kase = await w.caseWithHardware(imei);
    const disconnects: boolean[] = [];
    const off = w.c.events.on('device.disconnected', (e) => {
      if (e.deviceId === kase.deviceId) disconnects.push(e.lastWill);
    });
    const old = await tracker(imei);
    await old.login();
    const fresh = await tracker(imei);
    await fresh.login();
    // The old socket is cut (as a half-open one would time out): the device is still connected.
    old.write(Buffer.from('GET / HTTP/1.1\r\n'));
    await expect(old.heartbeat()).rejects.toThrow(/closed/);
    expect(disconnects).toEqual([]);
    const gone = w.c.events.next('device.disconnected', (e) => e.deviceId === kase.deviceId);
    fresh.close();
    await gone;
    expect(disconnects).toEqual([false]);
    off();
  });

  test('a power cut and a vibration alarm become device events, not alarms', async () => {
    const imei = nextImei();
    const kase = await w.caseWithHardware(imei);
    const t = await tracker(imei);
    await t.login();
    const powerLost = w.c.events.next('device.event.received', (e) => e.deviceId === kase.deviceId && e.kind === 'power_lost');
    await t.alarm({ at: new Date(), ...MEXICO_CITY }, 0x02);
    await powerLost;
    const tamper = w.c.events.next('device.event.received', (e) => e.deviceId === kase.deviceId && e.kind === 'tamper');
    await t.alarm({ at: new Date(), ...MEXICO_CITY }, 0x03);
    await tamper;
    const alarms = await w.c.store.db.selectFrom('alarms').select('id').where('device_id', '=', kase.deviceId).execute();
    expect(alarms).toHaveLength(0);
    t.close();
  });
});

describe('bad input on the GT06 port', () => {
  test('an unregistered IMEI is not answered, is cut off, and is recorded as an ingest error for technicians', async () => {
    const imei = nextImei();
    const t = await tracker(imei);
    await expect(t.login()).rejects.toThrow(/closed/);
    await w.c.parts.ingest.flushTelemetry();
    const errors = await w.c.parts.ingest.ingestErrors(`unregistered:gt06:${imei}`);
    expect(errors.counts).toEqual([expect.objectContaining({ reason: 'unregistered_hardware_id', count: 1 })]);
    expect(await w.metric('centinela_gateway_sockets_closed_total', 'protocol="gt06",reason="unregistered"')).toBeGreaterThan(0);
    // Technicians find it in the API to register it or chase it; analysts do not.
    const listed = await w.api('GET', '/api/ingest-errors/unregistered', 'technician');
    expect(listed.status).toBe(200);
    expect((listed.json() as { items: unknown[] }).items).toContainEqual(
      expect.objectContaining({ protocol: 'gt06', hardwareId: imei, reason: 'unregistered_hardware_id', count: 1 }),
    );
    expect((await w.api('GET', '/api/ingest-errors/unregistered', 'analyst')).status).toBe(403);
  });

  test('garbage (an HTTP request) is closed at once and counted', async () => {
    const before = await w.metric('centinela_gateway_sockets_closed_total', 'protocol="gt06",reason="garbage"');
    const c = await rawClient();
    c.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await c.closed;
    expect(await w.metric('centinela_gateway_sockets_closed_total', 'protocol="gt06",reason="garbage"')).toBe(before + 1);
  });

  test('a length field announcing 65,535 bytes is closed before anything is buffered', async () => {
    const c = await rawClient();
    c.socket.write(Buffer.from('7979ffff01', 'hex'));
    await c.closed;
    expect(await w.metric('centinela_gateway_sockets_closed_total', 'protocol="gt06",reason="oversized"')).toBeGreaterThan(0);
  });

  test('frames with a bad CRC are not answered and counted; a stream of them is cut off; the listener keeps serving', async () => {
    const c = await rawClient();
    const badCrc = Buffer.from('78780D01012345678901234500018CDE0D0A', 'hex');
    for (let i = 0; i < 20; i++) c.socket.write(badCrc);
    await c.closed;
    expect(await w.metric('centinela_gateway_frames_total', 'protocol="gt06",outcome="bad_crc"')).toBeGreaterThan(8);
    expect(await w.metric('centinela_gateway_sockets_closed_total', 'protocol="gt06",reason="too_many_bad_frames"')).toBeGreaterThan(0);
    // Still serving real devices.
    const imei = nextImei();
    await w.caseWithHardware(imei);
    const t = await tracker(imei);
    await t.login();
    t.close();
  });

  test('a frame before login is refused (the tracker must log in first)', async () => {
    const c = await rawClient();
    // Heartbeat, serial 7 (CRC 0xE443), with no login before it.
    c.socket.write(Buffer.from('78780a1344050300020007e4430d0a', 'hex'));
    await c.closed;
    expect(await w.metric('centinela_gateway_frames_total', 'protocol="gt06",outcome="before_login"')).toBeGreaterThan(0);
  });

  test('stalled and garbage-sending GT06 sockets, held open, never stop an MQTT alarm or a GT06 SOS', async () => {
    // 50 sockets stalled mid-frame, 50 flooding garbage into the same process.
    const stalled = await Promise.all(Array.from({ length: 50 }, () => rawClient()));
    for (const c of stalled) c.socket.write(Buffer.from('78781f12', 'hex'));
    const garbage = await Promise.all(Array.from({ length: 50 }, () => rawClient()));
    for (const c of garbage) c.socket.write(Buffer.alloc(2048, 0x41));
    await Promise.all(garbage.map((c) => c.closed));

    const device = await registerDevice(w.c.repos, `mqtt-beside-gt06-${Date.now()}`);
    const client = await connectDevice(w.c.parts.ingest.mqttPort as number, device);
    await client.publishAsync(`v1/devices/${device.id}/alarm`, alarm('beside-1'), { qos: 1 });
    expect(await w.c.store.db.selectFrom('alarms').select('id').where('device_id', '=', device.id).execute()).toHaveLength(1);
    await client.endAsync();

    const imei = nextImei();
    const kase = await w.caseWithHardware(imei);
    const t = await tracker(imei);
    await t.login();
    await t.alarm({ at: new Date(), ...MEXICO_CITY });
    expect(await w.c.store.db.selectFrom('alarms').select('id').where('device_id', '=', kase.deviceId).execute()).toHaveLength(1);
    t.close();
    for (const c of stalled) c.socket.destroy();
  });
});
