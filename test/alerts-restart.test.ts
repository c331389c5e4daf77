import { connectAsync } from 'mqtt';
import { afterEach, expect, test } from 'vitest';
import { type ChildCentinela, startChild } from './fixtures/alerts-child.ts';
import { addStaff, PUBLIC_URL, seedCase } from './fixtures/alerts-world.ts';
import { ENGINES, freshStore, type TestStore } from './fixtures/databases.ts';
import { TwilioRecorder } from './fixtures/twilio-recorder.ts';

interface Detail {
  id: string;
  notifications: { channel: string; status: string }[];
  timeline: { kind: string; detail: { target: string } }[];
}

let child: ChildCentinela | undefined;
let rec: TwilioRecorder | undefined;
let db: TestStore | undefined;

afterEach(async () => {
  await child?.stop();
  await rec?.stop();
  await db?.cleanup();
});

test.each(ENGINES)(
  'kill -9 in the middle of an escalation on %s: after the restart every due step still fires, none is skipped, nothing sent is sent again (P1)',
  {
    timeout: 120_000,
  },
  async (engine) => {
    db = await freshStore(engine);
    const kase = await seedCase(db);
    await addStaff(db, 'supervisor', '+527479990040');
    const { token } = await db.repos.users.create({ id: 'system:test', role: 'system' }, { name: 'op', role: 'operator' });
    rec = await TwilioRecorder.start();
    const env = { ...db.env, ...rec.env(), CENTINELA_PUBLIC_URL: PUBLIC_URL, CENTINELA_LOG_LEVEL: 'info' };

    child = await startChild(env);
    // Like a real button, the device retries its connection until the broker takes it.
    const device = await connectAsync(
      `mqtt://127.0.0.1:${child.mqttPort}`,
      { clientId: kase.deviceId, username: kase.deviceId, password: 's', reconnectPeriod: 200 },
      true,
    );
    await device.publishAsync(`v1/devices/${kase.deviceId}/alarm`, JSON.stringify({ id: 'press-1', ts: Date.now(), kind: 'panic' }), {
      qos: 1,
    });
    await device.endAsync();

    // The 0 s step has run: both contacts were sent their SMS, and Centinela recorded it.
    await rec.waitFor((r) => r.form.To === '+527471110001');
    await rec.waitFor((r) => r.form.To === '+14155550123');
    const httpUrl = child.httpUrl;
    const get = async (url: string): Promise<Detail> =>
      (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<Detail>;
    const [alarm] = (await get(`${httpUrl}/api/alarms`)) as unknown as Detail[];
    if (!alarm) throw new Error('the alarm was not stored');
    for (;;) {
      const detail = await get(`${httpUrl}/api/alarms/${alarm.id}`);
      const sms = detail.notifications.filter((n: { channel: string }) => n.channel === 'sms');
      if (sms.length === 2 && sms.every((n: { status: string }) => n.status === 'sent')) break;
      await new Promise((r) => setTimeout(r, 50)); // the child is another process: its state is polled, not awaited
    }
    expect(rec.sms('+527479990040')).toHaveLength(0);

    await child.crash();
    child = await startChild(env);

    const supervisor = await rec.waitFor((r) => r.form.To === '+527479990040');
    expect(supervisor.form.Body).toContain(`Ref ${alarm.id}`);
    expect(rec.sms('+527471110001')).toHaveLength(1);
    expect(rec.sms('+14155550123')).toHaveLength(1);
    const after = await get(`${child.httpUrl}/api/alarms/${alarm.id}`);
    const fired = after.timeline
      .filter((e: { kind: string }) => e.kind === 'step_fired')
      .map((e: { detail: { target: string } }) => e.detail.target);
    expect(fired).toEqual(expect.arrayContaining(['operators', 'contacts', 'supervisor']));
  },
);

test('an alarm stored just before a crash, whose escalation never started, is adopted at the next start (P1)', {
  timeout: 120_000,
}, async () => {
  db = await freshStore('sqlite');
  const kase = await seedCase(db);
  // Stored as ingest stores it before the PUBACK — then the process died before any listener ran.
  const { alarmId } = await db.repos.alarmIntake.record({
    deviceId: kase.deviceId,
    deviceAlarmId: 'press-before-crash',
    kind: 'panic',
    test: false,
    raisedAt: Date.now(),
    receivedAt: Date.now(),
    clockSuspect: false,
    beneficiaryId: kase.beneficiary.id,
  });
  rec = await TwilioRecorder.start();
  child = await startChild({ ...db.env, ...rec.env(), CENTINELA_PUBLIC_URL: PUBLIC_URL });
  const sms = await rec.waitFor((r) => r.form.To === '+527471110001');
  expect(sms.form.Body).toContain(`Ref ${alarmId}`);
});
