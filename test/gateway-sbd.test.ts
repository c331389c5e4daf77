import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SbdTerminal, SimulatedIridiumGateway } from '../devices/iridium/sbd-gateway.ts';
import { moConfirmation } from '../src/ingest/protocols/sbd/directip.ts';
import { startGatewayWorld } from './fixtures/gateway-world.ts';

type World = Awaited<ReturnType<typeof startGatewayWorld>>;
let w: World;
let iridium: SimulatedIridiumGateway;
let n = 0;
const nextImei = () => `3002340${String(Date.now()).slice(-6)}${String(++n).padStart(2, '0')}`;

beforeAll(async () => {
  // The simulated Iridium gateway must know Centinela's port, and Centinela its MT port: two steps.
  iridium = new SimulatedIridiumGateway({ host: '127.0.0.1', port: 0 });
  const mtAddress = await iridium.listenMt();
  w = await startGatewayWorld({ CENTINELA_SBD_PORT: '0', CENTINELA_SBD_MT_ADDRESS: mtAddress }, 'iridium-sbd');
  iridium.target = { host: '127.0.0.1', port: w.c.parts.ingest.protocolPorts.sbd as number };
});
afterAll(async () => {
  await w?.stop();
  await iridium?.stop();
});

const MEXICO_CITY = { lat: 19.432608, lon: -99.133209 };

describe('an Iridium terminal through SBD DirectIP', () => {
  test('an SOS is stored with its device time and frame before the MO confirmation, and acknowledged to the terminal by MT', async () => {
    const imei = nextImei();
    const kase = await w.caseWithHardware(imei);
    const t = new SbdTerminal(iridium, imei);
    const at = Math.floor(Date.now() / 1000) * 1000 - 90 * 60_000; // satellite delivery is late
    const mt = iridium.nextMt();
    const confirmation = await t.send({ type: 'alarm', at, kind: 'sos', seq: 7, loc: MEXICO_CITY });
    expect(confirmation).toEqual(moConfirmation(true));
    const row = await w.c.store.db.selectFrom('alarms').selectAll().where('device_id', '=', kase.deviceId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'sos', raised_at: at, clock_suspect: 0 });
    expect(row.frame_hex).toMatch(/^01/);
    const ack = await mt;
    expect(ack).toMatchObject({ imei, payload: Buffer.from([0x20, 0x00, 0x07]) });
  });

  test('the same alarm delivered twice (the terminal retried) is one press', async () => {
    const imei = nextImei();
    const kase = await w.caseWithHardware(imei);
    const t = new SbdTerminal(iridium, imei);
    const at = Math.floor(Date.now() / 1000) * 1000;
    await t.send({ type: 'alarm', at, kind: 'panic', seq: 3 });
    await t.send({ type: 'alarm', at, kind: 'panic', seq: 3 });
    const presses = await w.c.store.db.selectFrom('alarm_presses').selectAll().where('device_id', '=', kase.deviceId).execute();
    expect(presses).toHaveLength(1);
  });

  test('a heartbeat becomes telemetry on the iridium network, with the location IE when the payload has none', async () => {
    const imei = nextImei();
    const kase = await w.caseWithHardware(imei);
    const t = new SbdTerminal(iridium, imei);
    const hb = w.c.events.next('heartbeat.received', (e) => e.deviceId === kase.deviceId);
    await t.send({ type: 'heartbeat', at: Date.now(), battery: 64, charging: true }, { location: { lat: 17.55, lon: -99.5, cepKm: 5 } });
    expect((await hb).heartbeat).toMatchObject({
      battery: 64,
      charging: true,
      signal: { network: 'iridium' },
      loc: { lat: 17.55, lon: -99.5, acc: 5000 },
    });
  });

  test('a failed session (status 13, RF link loss) is recorded for technicians, not decoded', async () => {
    const imei = nextImei();
    const kase = await w.caseWithHardware(imei);
    const t = new SbdTerminal(iridium, imei);
    await t.send({ type: 'alarm', at: Date.now(), kind: 'sos', seq: 1 }, { sessionStatus: 13 });
    const alarms = await w.c.store.db.selectFrom('alarms').select('id').where('device_id', '=', kase.deviceId).execute();
    expect(alarms).toHaveLength(0);
    const errors = await w.c.parts.ingest.ingestErrors(kase.deviceId);
    expect(errors.recent[0]?.reason).toMatch(/^sbd_session_failed: session status 13 \(RF link loss\)/);
  });

  test('an unregistered IMEI is recorded as an ingest error; garbage and a wrong length are closed and counted', async () => {
    const imei = nextImei();
    const t = new SbdTerminal(iridium, imei);
    await t.send({ type: 'heartbeat', at: Date.now(), battery: 50, charging: false });
    expect((await w.c.parts.ingest.ingestErrors(`unregistered:sbd:${imei}`)).counts[0]?.reason).toBe('unregistered_hardware_id');
    expect(await iridium.deliver(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toBeUndefined();
    expect(await iridium.deliver(Buffer.from('0100050100400000', 'hex'))).toBeUndefined();
    expect(await w.metric('centinela_gateway_sockets_closed_total', 'protocol="sbd",reason="garbage"')).toBeGreaterThan(0);
    expect(await w.metric('centinela_gateway_frames_total', 'protocol="sbd",outcome="bad_length"')).toBeGreaterThan(0);
  });

  // Last: it stops the simulated gateway's MT port.
  test('an MT gateway that cannot be reached is "gateway down" for technicians; the alarm itself is stored regardless', async () => {
    const imei = nextImei();
    const kase = await w.caseWithHardware(imei);
    await iridium.stopMt();
    const down = w.c.events.next('gateway.down', (e) => e.gateway === 'sbd-mt');
    const t = new SbdTerminal(iridium, imei);
    expect(await t.send({ type: 'alarm', at: Date.now(), kind: 'sos', seq: 9 })).toEqual(moConfirmation(true));
    const e = await down;
    expect(e.reason).toMatch(/ECONNREFUSED|closed/);
    // Terminals are still heard through MO: none is listed as cut off.
    expect(e.deviceIds).toEqual([]);
    const alarms = await w.c.store.db.selectFrom('alarms').select('id').where('device_id', '=', kase.deviceId).execute();
    expect(alarms).toHaveLength(1);
  });
});
