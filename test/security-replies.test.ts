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

const SUPERVISOR = '+527479990020';
const state = async (alarmId: string) => (await w.api('GET', `/api/alarms/${alarmId}`, 'operator')).json().state;

/** An alarm of a new person whose page has reached the supervisor's phone. */
async function pagedAlarm(): Promise<string> {
  const kase = await seedCase(w.c);
  const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
  w.clock.advance(30_000);
  await w.rec.waitFor((r) => r.kind === 'sms' && r.form.To === SUPERVISOR && (r.form.Body ?? '').includes(alarmId));
  return alarmId;
}

/** Closes an alarm; issue 18 refuses resolution while its action plan has open steps, so the plan is worked first. */
async function closeAlarm(alarmId: string): Promise<void> {
  await workPlan(w.api, alarmId);
  const res = await w.api('POST', `/api/alarms/${alarmId}/resolve`, 'operator', { outcome: 'false_alarm', note: 'pressed by mistake' });
  expect(res.status).toBe(200);
  expect(await state(alarmId)).toBe('resolved');
}

const reply = (body: string, messageId: string, from = SUPERVISOR) =>
  w.rec.post(
    `${PUBLIC_URL}/api/twilio/inbound-sms`,
    { MessageSid: messageId, AccountSid: w.rec.accountSid, From: from, To: w.rec.from, Body: body },
    { deliverTo: w.c.httpUrl },
  );

describe('an SMS reply names its alarm and counts once (issue 15)', () => {
  test('the page carries the alarm code, and a reply with it acknowledges that alarm', async () => {
    const sup = await addStaff(w.c, 'supervisor', SUPERVISOR);
    const alarmId = await pagedAlarm();
    const page = await w.rec.waitFor((r) => r.kind === 'sms' && r.form.To === SUPERVISOR);
    expect(page.form.Body).toContain(`Responda ${replyCode(alarmId)} para atender`);
    const acked = w.changed(alarmId, 'acknowledged');
    const res = await reply(replyCode(alarmId).toLowerCase(), 'SMreply0001');
    expect(res.body).toContain(`alarma ${alarmId} atendida`);
    expect((await acked).by).toBe(sup.user.id);
  });

  test('a captured, validly signed reply re-sent later does not acknowledge a new alarm of another person', async () => {
    await addStaff(w.c, 'supervisor', SUPERVISOR);
    const first = await pagedAlarm();
    expect((await reply(`1 ${replyCode(first)}`, 'SMcaptured01')).body).toContain('atendida');
    const second = await pagedAlarm();
    const replayed = await reply(`1 ${replyCode(first)}`, 'SMcaptured01');
    expect(replayed.status).toBe(200);
    expect(replayed.body).toContain('ya se había recibido');
    expect(await state(second)).toBe('open');
    // The paging of the new alarm goes on.
    const before = w.rec.sms(SUPERVISOR).length;
    w.clock.advance(60_000);
    await w.rec.waitFor(() => w.rec.sms(SUPERVISOR).length > before);
  });

  test('the same message id counts once even for the alarm it named', async () => {
    await addStaff(w.c, 'supervisor', SUPERVISOR);
    const alarmId = await pagedAlarm();
    await closeAlarm(alarmId);
    expect((await reply(replyCode(alarmId), 'SMonce000001')).body).toContain('ya está cerrada');
    expect((await reply(replyCode(alarmId), 'SMonce000001')).body).toContain('ya se había recibido');
  });

  test('a reply without a code, with the code of another alarm, or from a phone not paged, changes nothing and says why', async () => {
    await addStaff(w.c, 'supervisor', SUPERVISOR);
    await addStaff(w.c, 'operator', '+527479990021');
    const alarmId = await pagedAlarm();
    const bare = await reply('1', 'SMbare000001');
    expect(bare.body).toContain('Responda con el código de la alarma');
    const other = await reply(replyCode('alm_someone_else'), 'SMother00001');
    expect(other.body).toContain(`tiene el código ${replyCode('alm_someone_else')}`);
    const notPaged = await reply(replyCode(alarmId), 'SMnotpaged01', '+527479990021');
    expect(notPaged.body).toContain('Ninguna alarma abierta avisada a este teléfono');
    expect(await state(alarmId)).toBe('open');
    const timeline = (await w.api('GET', `/api/alarms/${alarmId}`, 'operator')).json().timeline as { kind: string }[];
    expect(timeline.map((e) => e.kind)).not.toContain('acknowledged');
  });

  test('a reply after the alarm was closed changes nothing and says the alarm is closed', async () => {
    await addStaff(w.c, 'supervisor', SUPERVISOR);
    const alarmId = await pagedAlarm();
    await closeAlarm(alarmId);
    const res = await reply(replyCode(alarmId), 'SMlate000001');
    expect(res.body).toContain(`La alarma ${alarmId} ya está cerrada`);
    expect(await state(alarmId)).toBe('resolved');
  });
});

describe('a keypress is bound to the call placed for the alarm (issue 15)', () => {
  test('a keypress posted with another call id, or replayed after the answer, acknowledges nothing', async () => {
    await addStaff(w.c, 'supervisor', SUPERVISOR);
    const alarmId = await pagedAlarm();
    const sms = await w.rec.waitFor((r) => r.kind === 'sms' && r.form.To === SUPERVISOR);
    expect((await w.rec.statusCallback(sms, 'undelivered', w.c.httpUrl)).status).toBe(204);
    const call = await w.rec.waitFor((r) => r.kind === 'call' && r.form.To === SUPERVISOR);
    const notificationId = call.form.Url?.split('/').pop() as string;
    const gather = `${PUBLIC_URL}/api/twilio/gather/${notificationId}`;
    const base = { AccountSid: w.rec.accountSid, To: SUPERVISOR, From: w.rec.from, CallStatus: 'in-progress', Digits: '1' };
    const forged = await w.rec.post(gather, { ...base, CallSid: 'CAanotherCall000000000000000000000' }, { deliverTo: w.c.httpUrl });
    expect(forged.body).toContain('<Hangup');
    expect(await state(alarmId)).toBe('open');
    const detail = (await w.api('GET', `/api/alarms/${alarmId}`, 'operator')).json();
    expect(detail.notifications.find((n: { id: string }) => n.id === notificationId).status).not.toBe('answered');

    const { afterKeys } = await w.rec.answerCall(call, w.c.httpUrl, '1');
    expect(afterKeys).toContain('Alarma atendida');
    const replay = await w.rec.post(gather, { ...base, CallSid: call.sid as string }, { deliverTo: w.c.httpUrl });
    expect(replay.body).toContain('<Hangup');
    const answered = (await w.api('GET', `/api/alarms/${alarmId}`, 'operator')).json().timeline as { kind: string }[];
    expect(answered.filter((e) => e.kind === 'call_answered')).toHaveLength(1);
  });
});
