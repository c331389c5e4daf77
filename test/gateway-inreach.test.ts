import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ipcEvent, MESSAGE_CODES, SimulatedIpcOutbound } from '../devices/inreach/ipc-outbound.ts';
import { startGatewayWorld } from './fixtures/gateway-world.ts';
import { eventually } from './fixtures/ingest-wait.ts';

type World = Awaited<ReturnType<typeof startGatewayWorld>>;
let w: World;
let garmin: SimulatedIpcOutbound;
const TOKEN = 'inreach-outbound-token-0123456789abcdef';
let n = 0;
const nextImei = () => `3004340${String(Date.now()).slice(-6)}${String(++n).padStart(2, '0')}`;
const SIERRA = { lat: 17.5514, lon: -99.5006 };

beforeAll(async () => {
  w = await startGatewayWorld({ CENTINELA_INREACH_TOKEN: TOKEN }, 'inreach');
  garmin = new SimulatedIpcOutbound(`${w.c.httpUrl}/api/gateways/inreach`, TOKEN);
});
afterAll(async () => {
  await w?.stop();
});

describe('a Garmin inReach through IPC Outbound', () => {
  test('Declare SOS is an alarm stored before Garmin gets its 200 and texted to the contacts; Confirm SOS joins it', async () => {
    const imei = nextImei();
    const kase = await w.caseWithHardware(imei);
    const at = Math.floor(Date.now() / 1000) * 1000 - 30_000;
    const res = await garmin.push([ipcEvent(imei, MESSAGE_CODES.declareSos, at, { point: SIERRA, text: 'me siguen' })]);
    expect(res).toEqual({ status: 200, body: { accepted: 1, ignored: 0 } });
    const row = await w.c.store.db.selectFrom('alarms').selectAll().where('device_id', '=', kase.deviceId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'sos', raised_at: at, state: 'open', note: 'inReach SOS declared: me siguen' });
    expect(JSON.parse(row.loc as string)).toEqual(SIERRA);
    expect(JSON.parse(Buffer.from(row.frame_hex as string, 'hex').toString())).toMatchObject({ imei, messageCode: 4 });
    const moved = { lat: 17.5614, lon: -99.5006 };
    await garmin.push([ipcEvent(imei, MESSAGE_CODES.confirmSos, at + 60_000, { point: moved })]);
    const after = await w.c.store.db.selectFrom('alarms').select('press_count').where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(after.press_count).toBe(2);
    // The second press keeps what it carried: where the person was then, and Garmin's message itself.
    const joined = await w.c.store.db
      .selectFrom('alarm_timeline')
      .select('detail')
      .where('alarm_id', '=', row.id)
      .where('kind', '=', 'press_joined')
      .executeTakeFirstOrThrow();
    const detail = JSON.parse(joined.detail as string) as { pressCount: number; loc: unknown; frameHex: string };
    expect(detail).toMatchObject({ pressCount: 2, loc: moved });
    expect(JSON.parse(Buffer.from(detail.frameHex, 'hex').toString())).toMatchObject({ imei, messageCode: 6 });
    // And the operator's map shows where the person was at that second press, not at the first.
    const context = (await w.api('GET', `/api/console/alarms/${row.id}/context`, 'operator')).json() as { loc: unknown; locAt: string };
    expect(context.loc).toEqual(moved);
    expect(Date.parse(context.locAt)).toBeGreaterThanOrEqual(row.received_at);
    await w.rec.waitFor((r) => r.kind === 'sms' && r.form.To === '+527471110001' && r.form.Body?.includes(row.id) === true);
  });

  test('Cancel SOS is shown on the alarm timeline and the alarm stays open for the operator (never a silent close)', async () => {
    const imei = nextImei();
    const kase = await w.caseWithHardware(imei);
    const at = Date.now();
    const cancelled = w.c.events.next('device.event.received', (e) => e.deviceId === kase.deviceId && e.kind === 'sos_cancelled');
    await garmin.push([ipcEvent(imei, MESSAGE_CODES.declareSos, at - 5_000), ipcEvent(imei, MESSAGE_CODES.cancelSos, at)]);
    await cancelled;
    const row = await w.c.store.db
      .selectFrom('alarms')
      .select(['id', 'state'])
      .where('device_id', '=', kase.deviceId)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('open');
    await eventually(async () => (await w.c.repos.alarms.timeline(row.id)).some((e) => e.kind === 'device_cancelled'), 10_000);
    const entry = (await w.c.repos.alarms.timeline(row.id)).find((e) => e.kind === 'device_cancelled');
    expect(entry).toMatchObject({ actor: `device:${kase.deviceId}` });
  });

  test('tracking points are heartbeats with their position', async () => {
    const imei = nextImei();
    const kase = await w.caseWithHardware(imei);
    const hb = w.c.events.next('heartbeat.received', (e) => e.deviceId === kase.deviceId);
    await garmin.push([ipcEvent(imei, MESSAGE_CODES.trackInterval, Date.now(), { point: SIERRA, lowBattery: true })]);
    expect((await hb).heartbeat).toMatchObject({ battery: 10, signal: { network: 'iridium' }, loc: SIERRA });
  });
});

describe('what the inReach route refuses', () => {
  test('a push without the token, or with another, is 401 and stores nothing', async () => {
    const imei = nextImei();
    const kase = await w.caseWithHardware(imei);
    const forged = await garmin.push([ipcEvent(imei, MESSAGE_CODES.declareSos, Date.now())], 'not-the-token-not-the-token-xx');
    expect(forged.status).toBe(401);
    const none = await fetch(`${w.c.httpUrl}/api/gateways/inreach`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"Events":[]}',
    });
    expect(none.status).toBe(401);
    const alarms = await w.c.store.db.selectFrom('alarms').select('id').where('device_id', '=', kase.deviceId).execute();
    expect(alarms).toHaveLength(0);
  });

  test('an unregistered IMEI and a malformed event are ignored and counted; the good event in the same push is kept', async () => {
    const imei = nextImei();
    const stranger = nextImei();
    const kase = await w.caseWithHardware(imei);
    const res = await garmin.push([
      ipcEvent(stranger, MESSAGE_CODES.declareSos, Date.now()),
      { imei: 'not-an-imei' } as unknown as ReturnType<typeof ipcEvent>,
      ipcEvent(imei, MESSAGE_CODES.declareSos, Date.now()),
    ]);
    expect(res).toEqual({ status: 200, body: { accepted: 1, ignored: 2 } });
    expect((await w.c.parts.ingest.ingestErrors(`unregistered:inreach:${stranger}`)).counts[0]?.reason).toBe('unregistered_hardware_id');
    const alarms = await w.c.store.db.selectFrom('alarms').select('id').where('device_id', '=', kase.deviceId).execute();
    expect(alarms).toHaveLength(1);
  });
});
