import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { replyCode } from '../src/alerts/reply-code.ts';
import { workPlan } from './fixtures/action-plans.ts';
import { addStaff, PUBLIC_URL, seedCase, startAlertsWorld } from './fixtures/alerts-world.ts';

type World = Awaited<ReturnType<typeof startAlertsWorld>>;
let w: World;

beforeEach(async () => {
  w = await startAlertsWorld();
});
afterEach(async () => {
  await w.stop();
});

describe('the first acknowledgement wins, from any channel', () => {
  test('two operators acknowledging at once: one gets 200, the other 409', async () => {
    const kase = await seedCase(w.c);
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    const [a, b] = await Promise.all([
      w.api('POST', `/api/alarms/${alarmId}/acknowledge`, 'operator', {}),
      w.api('POST', `/api/alarms/${alarmId}/acknowledge`, 'supervisor', {}),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.json().error.code).toBe('CENTINELA_ERR_STATE_CONFLICT');
  });

  test('acknowledging a resolved alarm is a 409', async () => {
    const kase = await seedCase(w.c);
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    await workPlan(w.api, alarmId);
    expect(
      (await w.api('POST', `/api/alarms/${alarmId}/resolve`, 'operator', { outcome: 'false_alarm', note: 'pressed by a child' })).status,
    ).toBe(200);
    const res = await w.api('POST', `/api/alarms/${alarmId}/acknowledge`, 'operator', {});
    expect(res.status).toBe(409);
  });

  test('the lifecycle runs open → acknowledged → dispatched → on scene → resolved, each step with who and when, and the device is told', async () => {
    const kase = await seedCase(w.c);
    const downlinks: unknown[] = [];
    w.c.events.on('downlink.requested', (d) => {
      downlinks.push(d.payload);
    });
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    await w.rec.waitFor((r) => r.form.To === '+527471110001');
    for (const step of ['acknowledge', 'dispatch', 'on-scene'])
      expect((await w.api('POST', `/api/alarms/${alarmId}/${step}`, 'operator', {})).status).toBe(200);
    await workPlan(w.api, alarmId);
    const done = await w.api('POST', `/api/alarms/${alarmId}/resolve`, 'supervisor', { outcome: 'genuine', note: 'help arrived' });
    const alarm = done.json();
    expect(alarm.state).toBe('resolved');
    expect(alarm.acknowledgedBy).toBeTruthy();
    expect(alarm.onSceneAt).toBeTruthy();
    expect(alarm.outcome).toBe('genuine');
    expect(downlinks.map((d) => (d as { state: string }).state)).toEqual(['received', 'acknowledged', 'dispatched', 'resolved']);
  });

  test("an SMS reply quoting the alarm's code from the paged supervisor phone acknowledges; from an unknown phone it is refused", async () => {
    const kase = await seedCase(w.c);
    const sup = await addStaff(w.c, 'supervisor', '+527479990010');
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    w.clock.advance(30_000);
    await w.rec.waitFor((r) => r.form.To === '+527479990010');

    const stranger = await w.rec.inboundSms(PUBLIC_URL, '+529990000000', 'SI', w.c.httpUrl);
    expect(stranger.status).toBe(200);
    expect(stranger.body).toContain('número no registrado');
    expect((await w.api('GET', `/api/alarms/${alarmId}`, 'operator')).json().state).toBe('open');

    const acked = w.changed(alarmId, 'acknowledged');
    const reply = await w.rec.inboundSms(PUBLIC_URL, '+527479990010', `Sí ${replyCode(alarmId)}`, w.c.httpUrl);
    expect(reply.body).toContain(`alarma ${alarmId} atendida`);
    expect((await acked).by).toBe(sup.user.id);
  });

  test('a keypress "1" on the fallback call acknowledges; the call counts only on the keypress', async () => {
    const kase = await seedCase(w.c);
    const sup = await addStaff(w.c, 'supervisor', '+527479990011');
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    w.clock.advance(30_000);
    const sms = await w.rec.waitFor((r) => r.kind === 'sms' && r.form.To === '+527479990011');
    expect((await w.rec.statusCallback(sms, 'undelivered', w.c.httpUrl)).status).toBe(204);
    const call = await w.rec.waitFor((r) => r.kind === 'call' && r.form.To === '+527479990011');
    const notificationId = call.form.Url?.split('/').pop() as string;
    let detail = (await w.api('GET', `/api/alarms/${alarmId}`, 'operator')).json();
    expect(detail.notifications.find((n: { id: string }) => n.id === notificationId).reachedAt).toBeNull();

    const acked = w.changed(alarmId, 'acknowledged');
    const { twiml, afterKeys } = await w.rec.answerCall(call, w.c.httpUrl, '1');
    expect(twiml).toContain('<Gather');
    expect(twiml).toContain('presione 1');
    expect(afterKeys).toContain('Alarma atendida');
    expect((await acked).by).toBe(sup.user.id);
    detail = (await w.api('GET', `/api/alarms/${alarmId}`, 'operator')).json();
    const n = detail.notifications.find((x: { id: string }) => x.id === notificationId);
    expect(n.status).toBe('answered');
    expect(n.reachedAt).not.toBeNull();
  });
});

describe('Twilio callbacks and delivery', () => {
  test('forged and unsigned callbacks are refused with 403 and logged', async () => {
    const kase = await seedCase(w.c);
    await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    const sms = await w.rec.waitFor((r) => r.form.To === '+527471110001');
    expect((await w.rec.statusCallback(sms, 'delivered', w.c.httpUrl, 'forged')).status).toBe(403);
    expect((await w.rec.statusCallback(sms, 'delivered', w.c.httpUrl, 'none')).status).toBe(403);
    expect((await w.rec.inboundSms(PUBLIC_URL, '+527479990010', '1', w.c.httpUrl, 'forged')).status).toBe(403);
    expect(w.t.logs.filter((l) => l.msg === 'twilio callback refused: invalid signature')).toHaveLength(3);
    const n = await w.c.store.db
      .selectFrom('notifications')
      .select(['status', 'reached_at'])
      .where('provider_id', '=', sms.sid as string)
      .executeTakeFirstOrThrow();
    expect(n).toEqual({ status: 'sent', reached_at: null });
  });

  test('an SMS counts as reached only when delivered; failed falls back to a voice call', async () => {
    const kase = await seedCase(w.c);
    await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    const es = await w.rec.waitFor((r) => r.kind === 'sms' && r.form.To === '+527471110001');
    const en = await w.rec.waitFor((r) => r.kind === 'sms' && r.form.To === '+14155550123');
    await w.rec.statusCallback(es, 'sent', w.c.httpUrl);
    const row = () =>
      w.c.store.db
        .selectFrom('notifications')
        .select(['status', 'reached_at'])
        .where('provider_id', '=', es.sid as string)
        .executeTakeFirstOrThrow();
    expect((await row()).reached_at).toBeNull();
    await w.rec.statusCallback(es, 'delivered', w.c.httpUrl);
    expect((await row()).status).toBe('delivered');
    expect((await row()).reached_at).not.toBeNull();

    await w.rec.statusCallback(en, 'failed', w.c.httpUrl);
    const call = await w.rec.waitFor((r) => r.kind === 'call' && r.form.To === '+14155550123');
    expect(call.form.Url).toMatch(/^https:\/\/centinela\.example\.org\/api\/twilio\/voice\/ntf_/);
    const { twiml } = await w.rec.answerCall(call, w.c.httpUrl);
    expect(twiml).toContain('language="en-US"');
    expect(twiml).toContain('To take it, press 1.');
    // Picked up but no key pressed: the call reached no one.
    expect((await w.rec.callStatus(call, 'completed', w.c.httpUrl)).status).toBe(204);
    const voice = await w.c.store.db
      .selectFrom('notifications')
      .select(['status', 'reached_at'])
      .where('provider_id', '=', call.sid as string)
      .executeTakeFirstOrThrow();
    expect(voice).toEqual({ status: 'unanswered', reached_at: null });
  });

  test('Twilio answering 429 then 201: the SMS is retried with backoff and both attempts are on the timeline', async () => {
    const kase = await seedCase(w.c);
    w.rec.failNext(1, 429);
    const retry = w.c.events.next('notification.changed', (e) => e.status === 'retry');
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    const { notificationId } = await retry;
    const sent = w.c.events.next('notification.changed', (e) => e.notificationId === notificationId && e.status === 'sent');
    w.clock.advance(1_000);
    await sent;
    const detail = (await w.api('GET', `/api/alarms/${alarmId}`, 'operator')).json();
    const retried = detail.notifications.find((n: { attempts: number }) => n.attempts === 2);
    expect(retried.history.map((h: { httpStatus: number; status: string }) => [h.httpStatus, h.status])).toEqual([
      [429, 'retry'],
      [201, 'sent'],
    ]);
    expect(retried.providerId).toMatch(/^SM/);
    const attempts = detail.timeline.filter(
      (e: { kind: string; detail: { notificationId: string } }) =>
        e.kind === 'notification_attempt' && e.detail.notificationId === retried.id,
    );
    expect(attempts).toHaveLength(2);
  });
});
