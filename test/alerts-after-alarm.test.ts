import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { replyCode } from '../src/alerts/reply-code.ts';
import { workPlan } from './fixtures/action-plans.ts';
import { addStaff, seedCase, startAlertsWorld } from './fixtures/alerts-world.ts';

type World = Awaited<ReturnType<typeof startAlertsWorld>>;
let w: World;

beforeEach(async () => {
  w = await startAlertsWorld();
});
afterEach(async () => {
  await w.stop();
});

describe('after an alarm', () => {
  test('resolving as genuine opens a case review that a supervisor assigns and closes (P5)', async () => {
    const kase = await seedCase(w.c);
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    await workPlan(w.api, alarmId);
    await w.api('POST', `/api/alarms/${alarmId}/resolve`, 'operator', { outcome: 'genuine', note: 'men at the door' });
    const reviews = (await w.api('GET', '/api/case-reviews?state=open', 'supervisor')).json();
    const review = reviews.find((r: { alarmId: string }) => r.alarmId === alarmId);
    expect(review).toMatchObject({ state: 'open', beneficiaryId: kase.beneficiary.id, reason: 'genuine alarm' });
    // Issue 15: a case review goes only to a role that can open it (an analyst cannot).
    const analyst = await addStaff(w.c, 'analyst', '+527479990030');
    const operator = await addStaff(w.c, 'operator', '+527479990032');
    expect((await w.api('POST', `/api/case-reviews/${review.id}/assign`, 'operator', { userId: operator.user.id })).status).toBe(403);
    expect((await w.api('POST', `/api/case-reviews/${review.id}/assign`, 'supervisor', { userId: analyst.user.id })).status).toBe(400);
    expect(
      (await w.api('POST', `/api/case-reviews/${review.id}/assign`, 'supervisor', { userId: operator.user.id })).json().assignedTo,
    ).toBe(operator.user.id);
    expect((await w.api('POST', `/api/case-reviews/${review.id}/close`, 'supervisor', { note: 'measures raised' })).json().state).toBe(
      'closed',
    );
    expect((await w.api('POST', `/api/case-reviews/${review.id}/close`, 'supervisor', { note: 'again' })).status).toBe(409);
  });

  test('a false alarm opens no case review', async () => {
    const kase = await seedCase(w.c);
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    await workPlan(w.api, alarmId);
    await w.api('POST', `/api/alarms/${alarmId}/resolve`, 'operator', { outcome: 'false_alarm' });
    expect((await w.api('GET', '/api/case-reviews', 'supervisor')).json()).toEqual([]);
  });

  test('the evidence export is the whole timeline as JSON, and its SHA-256 is in the audit chain', async () => {
    const kase = await seedCase(w.c);
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    await w.rec.waitFor((r) => r.form.To === '+527471110001');
    await w.api('POST', `/api/alarms/${alarmId}/acknowledge`, 'operator', {});
    await workPlan(w.api, alarmId);
    await w.api('POST', `/api/alarms/${alarmId}/resolve`, 'operator', { outcome: 'genuine' });
    const res = await w.api('GET', `/api/alarms/${alarmId}/evidence`, 'supervisor');
    expect(res.status).toBe(200);
    const sha = createHash('sha256').update(res.body).digest('hex');
    expect(res.headers['x-evidence-sha256']).toBe(sha);
    const doc = JSON.parse(res.body);
    expect(doc.alarm.id).toBe(alarmId);
    expect(doc.timeline.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['escalation_started', 'acknowledged', 'resolved', 'case_review_opened', 'notification_attempt']),
    );
    expect(doc.presses).toHaveLength(1);
    const audit = await w.c.repos.audit.list({ recordType: 'alarm', recordId: alarmId });
    const exported = audit.find((a) => a.action === 'export');
    expect(JSON.parse(exported?.detail as string).sha256).toBe(sha);
    expect((await w.c.repos.audit.verify()).ok).toBe(true);
    expect((await w.api('GET', `/api/alarms/${alarmId}/evidence`, 'technician')).status).toBe(403);
  });

  test('tamper within 15 minutes of an alarm raises it to critical as a possible seizure and pages the supervisor', async () => {
    const kase = await seedCase(w.c);
    await addStaff(w.c, 'supervisor', '+527479990031');
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    await w.api('POST', `/api/alarms/${alarmId}/acknowledge`, 'operator', {});
    w.clock.advance(10 * 60_000);
    const escalated = w.c.events.next('alarm.escalated', (e) => e.alarmId === alarmId);
    w.c.events.emit('device.event.received', {
      deviceId: kase.deviceId,
      kind: 'tamper',
      at: w.clock.now(),
      receivedAt: w.clock.now(),
      clockSuspect: false,
      detail: null,
    });
    expect((await escalated).severity).toBe('critical');
    const sms = await w.rec.waitFor((r) => r.form.To === '+527479990031');
    expect(sms.form.Body).toBe(
      `CENTINELA CRÍTICO: posible privación de la libertad de ${kase.beneficiary.alias}; el equipo fue manipulado tras la alarma ${alarmId}. Atienda ya; responda ${replyCode(alarmId)} para atender.`,
    );
    expect((await w.api('GET', `/api/alarms/${alarmId}`, 'operator')).json().severity).toBe('critical');
  });

  test('the device going silent 5 minutes after an alarm also raises it to critical', async () => {
    const kase = await seedCase(w.c);
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    w.clock.advance(5 * 60_000);
    const escalated = w.c.events.next('alarm.escalated', (e) => e.alarmId === alarmId);
    w.c.events.emit('device.silent', {
      deviceId: kase.deviceId,
      beneficiaryId: kase.beneficiary.id,
      at: w.clock.now(),
      lastSeenAt: w.clock.now() - 200_000,
    });
    expect(await escalated).toMatchObject({ severity: 'critical', reason: 'possible seizure: device silent' });
  });

  test('a silent device opens an operator task to check on the person, closed when the device recovers (P3)', async () => {
    const kase = await seedCase(w.c);
    w.c.events.emit('device.silent', {
      deviceId: kase.deviceId,
      beneficiaryId: kase.beneficiary.id,
      at: w.clock.now(),
      lastSeenAt: w.clock.now() - 200_000,
    });
    const outbox = await w.c.events.next('notification.changed', (e) => e.channel === 'console');
    const task = (await w.api('GET', `/api/alarms/${outbox.alarmId}`, 'operator')).json();
    expect(task).toMatchObject({
      kind: 'device_offline',
      severity: 'low',
      policy: 'device_offline',
      state: 'open',
      deviceId: kase.deviceId,
    });
    expect(w.rec.requests).toEqual([]);
    const closed = w.changed(task.id, 'resolved');
    w.c.events.emit('device.recovered', {
      deviceId: kase.deviceId,
      beneficiaryId: kase.beneficiary.id,
      at: w.clock.now(),
      silentForMs: 300_000,
    });
    expect((await closed).outcome).toBe('technical');
  });
});
