import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { replyCode } from '../src/alerts/reply-code.ts';
import { addStaff, seedCase, startAlertsWorld } from './fixtures/alerts-world.ts';

type World = Awaited<ReturnType<typeof startAlertsWorld>>;
let w: World;

beforeEach(async () => {
  w = await startAlertsWorld();
});
afterEach(async () => {
  await w.stop();
});

describe('a panic alarm reaches the right people', () => {
  test('contacts get an SMS at once, each in their language, with who, what, where and the reference', async () => {
    const kase = await seedCase(w.c);
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    const es = await w.rec.waitFor((r) => r.kind === 'sms' && r.form.To === '+527471110001');
    const en = await w.rec.waitFor((r) => r.kind === 'sms' && r.form.To === '+14155550123');
    const alias = kase.beneficiary.alias;
    expect(es.form.Body).toBe(`Centinela: ${alias} activó alarma de pánico en Chilpancingo, GRO. La central ya atiende. Ref ${alarmId}.`);
    expect(en.form.Body).toBe(`Centinela: ${alias} raised a panic alarm at Chilpancingo, GRO. The centre is handling it. Ref ${alarmId}.`);
    expect(es.form.From).toBe(w.rec.from);
    expect(es.authUser).toBe(w.rec.accountSid);
    expect(es.form.StatusCallback).toBe('https://centinela.example.org/api/twilio/sms-status');
    expect(
      w.rec
        .sms()
        .map((r) => r.form.To)
        .sort(),
    ).toEqual(['+14155550123', '+527471110001']);
  });

  test('the supervisor is paged at 30 s without acknowledgement, and again every 60 s', async () => {
    const kase = await seedCase(w.c);
    await addStaff(w.c, 'supervisor', '+527479990001');
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    await w.rec.waitFor((r) => r.form.To === '+527471110001');
    expect(w.rec.sms('+527479990001')).toHaveLength(0);
    w.clock.advance(30_000);
    const first = await w.rec.waitFor((r) => r.form.To === '+527479990001');
    expect(first.form.Body).toBe(
      `CENTINELA ALARMA: alarma de pánico de ${kase.beneficiary.alias} en Chilpancingo, GRO. Ref ${alarmId}. Responda ${replyCode(alarmId)} para atender.`,
    );
    w.clock.advance(60_000);
    await w.rec.waitFor((r) => r.form.To === '+527479990001' && r !== first);
  });

  test('with no acknowledgement at 60 s the responder of the jurisdiction is paged, municipal first', async () => {
    const kase = await seedCase(w.c);
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    w.clock.advance(60_000);
    const r = await w.rec.waitFor((x) => x.form.To === '+527470000001');
    expect(r.form.Body).toBe(`Centinela solicita auxilio: alarma de pánico de persona protegida en Chilpancingo, GRO. Ref ${alarmId}.`);
  });

  test('an acknowledgement stops the paging: no supervisor and no responder afterwards', async () => {
    const kase = await seedCase(w.c);
    await addStaff(w.c, 'supervisor', '+527479990002');
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    await w.rec.waitFor((r) => r.form.To === '+527471110001');
    expect((await w.api('POST', `/api/alarms/${alarmId}/acknowledge`, 'operator', {})).status).toBe(200);
    const pending = await w.c.store.db
      .selectFrom('alarm_steps')
      .select('id')
      .where('alarm_id', '=', alarmId)
      .where('done_at', 'is', null)
      .execute();
    expect(pending).toHaveLength(0);
    w.clock.advance(120_000);
    // The dispatch is what pages the responder now, once.
    await w.api('POST', `/api/alarms/${alarmId}/dispatch`, 'operator', {});
    await w.rec.waitFor((r) => r.form.To === '+527470000001');
    expect(w.rec.sms('+527479990002')).toHaveLength(0);
  });

  test('a test alarm runs the whole path but pages no contacts or responders', async () => {
    const kase = await seedCase(w.c);
    await addStaff(w.c, 'supervisor', '+527479990003');
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id, kind: 'test', test: true });
    w.clock.advance(60_000);
    const sup = await w.rec.waitFor((r) => r.form.To === '+527479990003');
    expect(sup.form.Body).toContain('[PRUEBA] prueba');
    const detail = (await w.api('GET', `/api/alarms/${alarmId}`, 'operator')).json();
    expect(
      detail.timeline
        .filter((e: { kind: string }) => e.kind === 'step_skipped')
        .map((e: { detail: { target: string } }) => e.detail.target)
        .sort(),
    ).toEqual(['contacts', 'responder']);
    expect(w.rec.requests.filter((r) => r.form.To !== '+527479990003')).toHaveLength(0);
  });
});
