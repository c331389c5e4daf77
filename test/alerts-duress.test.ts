import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { addStaff, seedCase, startAlertsWorld } from './fixtures/alerts-world.ts';
import { ENGINES } from './fixtures/databases.ts';

type World = Awaited<ReturnType<typeof startAlertsWorld>>;
type Notification = { id: string; target: string; channel: string; recipientType: string; recipientId: string | null };

describe.each(ENGINES)('security question and duress on %s', (engine) => {
  let w: World;
  beforeEach(async () => {
    w = await startAlertsWorld(engine);
  });
  afterEach(async () => {
    await w.stop();
  });

  const withAnswers = async () => {
    const kase = await seedCase(w.c);
    const set = await put(`/api/beneficiaries/${kase.beneficiary.id}/security-answers`, 'admin', {
      securityAnswer: 'Río Bravo',
      duressAnswer: 'Sierra Madre',
    });
    expect(set.status).toBe(204);
    return kase;
  };
  const put = async (url: string, role: 'admin' | 'operator', body: unknown) => {
    const res = await w.c.app.inject({
      method: 'PUT',
      url,
      headers: { authorization: `Bearer ${w.t.tokens[role]}` },
      payload: body as object,
    });
    return { status: res.statusCode };
  };
  const detail = async (alarmId: string) => (await w.api('GET', `/api/alarms/${alarmId}`, 'operator')).json();
  const answer = (alarmId: string, text: string) => w.api('POST', `/api/alarms/${alarmId}/security-answer`, 'operator', { answer: text });

  test('the answers are stored hashed, never readable back; the duress answer must differ from the security answer', async () => {
    const kase = await withAnswers();
    const stored = await w.c.repos.securityAnswers.of(kase.beneficiary.id);
    expect(stored?.securityHash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(stored)).not.toMatch(/rio|bravo|sierra/i);
    const read = await w.api('GET', `/api/beneficiaries/${kase.beneficiary.id}/security-answers`, 'operator');
    expect(read.json()).toEqual({ set: true });
    const same = await put(`/api/beneficiaries/${kase.beneficiary.id}/security-answers`, 'admin', {
      securityAnswer: 'rio bravo',
      duressAnswer: 'Río  Bravo!',
    });
    expect(same.status).toBe(400);
    expect((await put(`/api/beneficiaries/${kase.beneficiary.id}/security-answers`, 'operator', {})).status).toBe(403);
  });

  test('the right answer, as spoken, is noted and changes nothing else; a wrong one is noted as wrong', async () => {
    const kase = await withAnswers();
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    expect((await answer(alarmId, 'rio bravo')).json()).toEqual({ result: 'correct', escalated: false });
    expect((await answer(alarmId, 'no me acuerdo')).json()).toEqual({ result: 'wrong', escalated: false });
    const a = await detail(alarmId);
    expect(a.severity).toBe('high');
    expect(
      a.timeline.filter((e: { kind: string }) => e.kind === 'security_answer').map((e: { detail: { result: string } }) => e.detail.result),
    ).toEqual(['correct', 'wrong']);
    // The answer itself is written nowhere.
    expect(JSON.stringify(a)).not.toMatch(/rio bravo|no me acuerdo/i);
  });

  test('a duress answer makes the alarm critical and pages the supervisor and a responder by SMS only, once however often it is recorded', async () => {
    const kase = await withAnswers();
    const sup = await addStaff(w.c, 'supervisor', '+527479990060');
    const downlinks: unknown[] = [];
    w.c.events.on('downlink.requested', (d) => {
      downlinks.push(d.payload);
    });
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    // The panic policy's first pages (the contacts' SMS) are out before the call is answered.
    await w.rec.waitFor((r) => r.form.To === '+527471110001');
    const before: Notification[] = (await detail(alarmId)).notifications;

    expect((await answer(alarmId, 'SIERRA madre')).json()).toEqual({ result: 'duress', escalated: true });
    expect((await answer(alarmId, 'Sierra Madre')).json()).toEqual({ result: 'duress', escalated: false });

    const a = await detail(alarmId);
    expect(a.severity).toBe('critical');
    const seen = new Set(before.map((n) => n.id));
    const added = (a.notifications as Notification[]).filter((n) => !seen.has(n.id) && n.channel !== 'console');
    expect(added.map((n) => `${n.target}/${n.channel}/${n.recipientId}`).sort()).toEqual(
      [`responder/sms/${kase.responders.municipalPolice}`, `supervisor/sms/${sup.user.id}`].sort(),
    );
    expect(a.timeline.filter((e: { kind: string }) => e.kind === 'duress')).toHaveLength(1);
    await w.rec.waitFor((r) => r.form.To === '+527479990060');
    await w.rec.waitFor((r) => r.form.To === '+527470000001');
    // Nothing the caller could hear: no call, and the device hears nothing new.
    expect(w.rec.requests.filter((r) => r.kind !== 'sms')).toEqual([]);
    expect(downlinks).toEqual([{ alarmId, state: 'received' }]);
  });

  test('without answers on file the result says so and nothing escalates; a resolved alarm takes no answer', async () => {
    const kase = await seedCase(w.c);
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    expect((await answer(alarmId, 'anything')).json()).toEqual({ result: 'not_set', escalated: false });
    await w.api('POST', `/api/alarms/${alarmId}/plan/override`, 'supervisor', { reason: 'test' });
    await w.api('POST', `/api/alarms/${alarmId}/resolve`, 'operator', { outcome: 'test' });
    expect((await answer(alarmId, 'anything')).status).toBe(409);
  });

  test('a duress code from the device is acknowledged to it as cancelled, escalates silently, and the device hears nothing after', async () => {
    const kase = await seedCase(w.c);
    const sup = await addStaff(w.c, 'supervisor', '+527479990061');
    const downlinks: unknown[] = [];
    w.c.events.on('downlink.requested', (d) => {
      downlinks.push(d.payload);
    });
    const escalated = w.c.events.next('alarm.escalated', (e) => e.reason === 'duress');
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id, kind: 'duress' });
    expect((await escalated).alarmId).toBe(alarmId);
    await w.rec.waitFor((r) => r.form.To === '+527479990061');

    const a = await detail(alarmId);
    expect(a).toMatchObject({ severity: 'critical', policy: 'duress', plan: { name: 'duress' } });
    const targets = (a.notifications as Notification[]).map((n) => `${n.target}/${n.channel}`);
    expect(targets).toContain('supervisor/sms');
    expect(targets).toContain('responder/sms');
    // Never the contacts (they might call her phone) and never a voice call.
    expect(targets.filter((t) => t.startsWith('contacts') || t.endsWith('/voice'))).toEqual([]);
    expect(a.notifications.find((n: Notification) => n.target === 'supervisor' && n.channel === 'sms').recipientId).toBe(sup.user.id);

    expect((await w.api('POST', `/api/alarms/${alarmId}/acknowledge`, 'operator', {})).status).toBe(200);
    expect((await w.api('POST', `/api/alarms/${alarmId}/dispatch`, 'operator', {})).status).toBe(200);
    expect(downlinks).toEqual([{ alarmId, state: 'cancelled' }]);
  });
});
