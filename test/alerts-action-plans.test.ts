import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { systemActor } from '../src/store/index.ts';
import { type PlanStepView, workPlan } from './fixtures/action-plans.ts';
import { seedCase, startAlertsWorld } from './fixtures/alerts-world.ts';
import { ENGINES } from './fixtures/databases.ts';

const admin = systemActor('test');

type World = Awaited<ReturnType<typeof startAlertsWorld>>;

describe.each(ENGINES)('action plans on %s', (engine) => {
  let w: World;
  beforeEach(async () => {
    w = await startAlertsWorld(engine);
  });
  afterEach(async () => {
    await w.stop();
  });

  const open = async () => {
    const kase = await seedCase(w.c);
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    return { kase, alarmId };
  };
  const steps = async (alarmId: string): Promise<PlanStepView[]> =>
    (await w.api('GET', `/api/alarms/${alarmId}`, 'operator')).json().plan.steps;

  test("a panic alarm's detail carries the panic plan, every step open, in order", async () => {
    const { alarmId } = await open();
    const detail = (await w.api('GET', `/api/alarms/${alarmId}`, 'operator')).json();
    expect(detail.plan.name).toBe('panic');
    expect(detail.plan.steps.map((s: PlanStepView) => s.key)).toEqual([
      'call-beneficiary',
      'security-question',
      'call-contact-1',
      'call-responder',
      'confirm-on-scene',
    ]);
    expect(detail.plan.steps.every((s: PlanStepView) => s.status === 'open' && s.by === null)).toBe(true);
  });

  test('a step marked done keeps its outcome, who and when; a skipped one its reason; both are on the timeline and in the evidence', async () => {
    const { alarmId } = await open();
    const done = await w.api('POST', `/api/alarms/${alarmId}/plan/steps/call-beneficiary/done`, 'operator', { outcome: 'answered, calm' });
    expect(done.status).toBe(200);
    w.clock.advance(5_000);
    const skipped = await w.api('POST', `/api/alarms/${alarmId}/plan/steps/call-contact-1/skip`, 'supervisor', {
      reason: 'no answer needed',
    });
    expect(skipped.status).toBe(200);
    const [first, , third] = await steps(alarmId);
    expect(first).toMatchObject({ status: 'done', outcome: 'answered, calm', by: expect.stringMatching(/.+/) });
    expect(third).toMatchObject({ status: 'skipped', reason: 'no answer needed' });
    expect(Date.parse(third?.at as string) - Date.parse(first?.at as string)).toBe(5_000);
    expect(third?.by).not.toBe(first?.by);

    const evidence = JSON.parse((await w.api('GET', `/api/alarms/${alarmId}/evidence`, 'supervisor')).body);
    const kinds = evidence.timeline.map((e: { kind: string }) => e.kind);
    expect(kinds).toContain('plan_step_done');
    expect(kinds).toContain('plan_step_skipped');
    expect(evidence.timeline.find((e: { kind: string }) => e.kind === 'plan_step_skipped').detail).toMatchObject({
      step: 'call-contact-1',
      reason: 'no answer needed',
    });
    expect(evidence.actionPlan.steps[0]).toMatchObject({ key: 'call-beneficiary', status: 'done', outcome: 'answered, calm' });
  });

  test('a step that comes after an open one, or one already closed, is refused with 409; an unknown step is 404', async () => {
    const { alarmId } = await open();
    const early = await w.api('POST', `/api/alarms/${alarmId}/plan/steps/confirm-on-scene/done`, 'operator', { outcome: 'police there' });
    expect(early.status).toBe(409);
    expect(early.json().error.message).toContain('"call-responder"');
    expect((await w.api('POST', `/api/alarms/${alarmId}/plan/steps/call-responder/done`, 'operator', { outcome: 'sent' })).status).toBe(
      200,
    );
    expect((await w.api('POST', `/api/alarms/${alarmId}/plan/steps/call-responder/skip`, 'operator', { reason: 'again' })).status).toBe(
      409,
    );
    expect((await w.api('POST', `/api/alarms/${alarmId}/plan/steps/no-such-step/done`, 'operator', { outcome: 'x' })).status).toBe(404);
    expect((await w.api('POST', `/api/alarms/${alarmId}/plan/steps/call-contact-1/skip`, 'operator', { reason: '' })).status).toBe(400);
  });

  test('an alarm with open steps cannot be resolved: 409 naming them; once all are worked it resolves', async () => {
    const { alarmId } = await open();
    await w.api('POST', `/api/alarms/${alarmId}/plan/steps/call-beneficiary/done`, 'operator', { outcome: 'answered' });
    const refused = await w.api('POST', `/api/alarms/${alarmId}/resolve`, 'supervisor', { outcome: 'genuine' });
    expect(refused.status).toBe(409);
    const message: string = refused.json().error.message;
    for (const key of ['security-question', 'call-contact-1', 'call-responder', 'confirm-on-scene']) expect(message).toContain(`"${key}"`);
    expect(message).not.toContain('"call-beneficiary"');
    expect((await w.api('GET', `/api/alarms/${alarmId}`, 'operator')).json().state).toBe('open');

    await workPlan(w.api, alarmId);
    expect((await w.api('POST', `/api/alarms/${alarmId}/resolve`, 'operator', { outcome: 'genuine' })).status).toBe(200);
    // A resolved alarm's plan no longer changes.
    expect((await w.api('POST', `/api/alarms/${alarmId}/plan/override`, 'supervisor', { reason: 'late' })).status).toBe(409);
  });

  test('only a supervisor overrides open steps, and only with a reason; then the alarm resolves', async () => {
    const { alarmId } = await open();
    expect((await w.api('POST', `/api/alarms/${alarmId}/plan/override`, 'operator', { reason: 'hurry' })).status).toBe(403);
    expect((await w.api('POST', `/api/alarms/${alarmId}/plan/override`, 'supervisor', {})).status).toBe(400);
    const over = await w.api('POST', `/api/alarms/${alarmId}/plan/override`, 'supervisor', {
      reason: 'beneficiary at the office, confirmed by video',
    });
    expect(over.status).toBe(200);
    expect(over.json().open).toBe(0);
    expect(over.json().steps.every((s: PlanStepView) => s.status === 'skipped' && s.reason?.includes('confirmed by video'))).toBe(true);
    expect((await w.api('POST', `/api/alarms/${alarmId}/resolve`, 'operator', { outcome: 'false_alarm' })).status).toBe(200);
    const timeline = (await w.api('GET', `/api/alarms/${alarmId}`, 'operator')).json().timeline;
    expect(timeline.find((e: { kind: string }) => e.kind === 'plan_overridden').detail.reason).toBe(
      'beneficiary at the office, confirmed by video',
    );
  });

  test("a case's own step joins the plan of its next alarms; one that would wait for a missing step or close a cycle is refused", async () => {
    const { kase } = await open();
    const base = `/api/beneficiaries/${kase.beneficiary.id}/plan-steps`;
    const add = (body: unknown, role: 'operator' | 'supervisor' = 'supervisor') => w.api('POST', base, role, body);
    const lawyer = { id: 'call-lawyer', type: 'call_contact', title: 'Llamar a su abogada', after: ['call-beneficiary'] };
    expect((await add({ step: lawyer }, 'operator')).status).toBe(403);
    expect((await add({ step: { ...lawyer, type: 'sing' } })).status).toBe(400);
    const missing = await add({ step: { ...lawyer, after: ['no-such-step'] } });
    expect(missing.status).toBe(400);
    expect(missing.json().error.message).toContain('no-such-step');
    const cycle = await add({
      step: { id: 'call-beneficiary', type: 'call_beneficiary', title: 'Llamar', after: ['security-question'] },
      kinds: ['panic'],
    });
    expect(cycle.status).toBe(400);
    expect(cycle.json().error.message).toContain('cycle');
    expect((await add({ step: lawyer, kinds: ['panic'] })).status).toBe(201);
    expect((await w.api('GET', base, 'operator')).json().map((c: { step: { id: string } }) => c.step.id)).toEqual(['call-lawyer']);

    const second = await seedCaseAlarmOf(kase);
    const keys = (await steps(second)).map((s) => `${s.key}:${s.source}`);
    expect(keys.at(-1)).toBe('call-lawyer:case');
    expect(keys).toContain('call-beneficiary:plan');
  });

  test('reports count the steps skipped per alarm kind; an analyst sees a kind of fewer than 5 people suppressed', async () => {
    const { alarmId } = await open();
    await w.api('POST', `/api/alarms/${alarmId}/plan/steps/call-contact-1/skip`, 'operator', { reason: 'not needed' });
    await w.api('POST', `/api/alarms/${alarmId}/plan/steps/call-beneficiary/done`, 'operator', { outcome: 'ok' });
    const to = new Date(w.clock.now() + 60_000).toISOString();
    const from = new Date(w.clock.now() - 60_000).toISOString();
    const sup = (await w.api('GET', `/api/reports/plan-steps?from=${from}&to=${to}`, 'supervisor')).json();
    expect(sup.rows).toEqual([{ kind: 'panic', suppressed: false, alarms: 1, steps: 5, skipped: 1, skippedRatio: 0.2 }]);
    const analyst = (await w.api('GET', `/api/reports/plan-steps?from=${from}&to=${to}`, 'analyst')).json();
    expect(analyst.rows).toEqual([{ kind: 'panic', suppressed: true, alarms: null, steps: null, skipped: null, skippedRatio: null }]);
  });

  test('the plan-steps report downloads as CSV: a line per kind and the total, withheld kinds left blank for an analyst', async () => {
    const { alarmId } = await open();
    await w.api('POST', `/api/alarms/${alarmId}/plan/steps/call-contact-1/skip`, 'operator', { reason: 'not needed' });
    const from = new Date(w.clock.now() - 60_000).toISOString();
    const to = new Date(w.clock.now() + 60_000).toISOString();
    const sup = await w.api('GET', `/api/reports/plan-steps?from=${from}&to=${to}&format=csv`, 'supervisor');
    expect(sup.status).toBe(200);
    expect(sup.headers['content-type']).toContain('text/csv');
    expect(sup.headers['content-disposition']).toContain('plan-steps.csv');
    expect(sup.body.trim().split('\n')).toEqual([
      'kind,suppressed,alarms,steps,skipped,skippedRatio',
      'panic,false,1,5,1,0.2',
      'total,false,1,5,1,0.2',
    ]);
    const analyst = await w.api('GET', `/api/reports/plan-steps?from=${from}&to=${to}&format=csv`, 'analyst');
    expect(analyst.body.trim().split('\n').slice(1)).toEqual(['panic,true,,,,', 'total,true,,,,']);
    expect((await w.api('GET', `/api/reports/plan-steps?format=xml`, 'supervisor')).status).toBe(400);
    expect((await w.api('GET', `/api/reports/plan-steps?format=csv`, 'operator')).status).toBe(403);
  });

  test("an analyst cannot work a withheld kind out of the plan report's total and the kinds shown", async () => {
    // 6 people with panic alarms, 6 with intrusion, 2 with falls: falls are too few to show.
    const kinds = [...Array(6).fill('panic'), ...Array(6).fill('intrusion'), 'fall', 'fall'] as const;
    for (const [i, kind] of kinds.entries()) {
      const person = await w.c.repos.beneficiaries.create(admin, {
        alias: `Persona ${i}`,
        fullName: `Persona Protegida ${i}`,
        kind: 'journalist',
        stateCode: 'GRO',
        riskLevel: 'high',
        language: 'es',
        presumedAggressors: [],
      });
      const deviceId = `plan-btn-${i}`;
      await w.c.repos.devices.create(admin, { id: deviceId, modelId: 'panic-button', beneficiaryId: person.id, stateCode: 'GRO' }, 'x');
      const alarmId = await w.raise({ deviceId, beneficiaryId: person.id, kind });
      // Reading the alarm attaches its plan if the alarm.raised handler has not yet.
      await w.api('GET', `/api/alarms/${alarmId}`, 'operator');
      if (kind === 'fall')
        await w.api('POST', `/api/alarms/${alarmId}/plan/steps/call-contact-1/skip`, 'operator', { reason: 'no contact' });
    }
    const from = new Date(w.clock.now() - 60_000).toISOString();
    const to = new Date(w.clock.now() + 60_000).toISOString();
    const sup = (await w.api('GET', `/api/reports/plan-steps?from=${from}&to=${to}`, 'supervisor')).json();
    expect(sup.suppressedGroups).toBe(0);
    const fall = sup.rows.find((r: { kind: string }) => r.kind === 'fall');
    expect(fall).toMatchObject({ alarms: 2, skipped: 2 });
    expect(sup.total).toMatchObject({ kind: 'total', suppressed: false, alarms: 14, skipped: 2 });

    const analyst = (await w.api('GET', `/api/reports/plan-steps?from=${from}&to=${to}`, 'analyst')).json();
    type Row = { kind: string; suppressed: boolean; alarms: number | null; steps: number | null; skipped: number | null };
    const rows: Row[] = analyst.rows;
    expect(rows.find((r) => r.kind === 'fall')).toMatchObject({ suppressed: true, alarms: null, skipped: null });
    // The total is shown (14 people), so falls are withheld with another kind: the total minus the
    // kinds shown gives only the sum of at least two kinds, never the falls.
    expect(analyst.total).toMatchObject({ suppressed: false, alarms: 14, skipped: 2 });
    const withheld = rows.filter((r) => r.suppressed);
    expect(withheld.length).toBeGreaterThanOrEqual(2);
    expect(analyst.suppressedGroups).toBe(withheld.length);
    const shown = rows.filter((r) => !r.suppressed);
    const left = (f: (r: Row) => number | null) => (f(analyst.total) ?? 0) - shown.reduce((n, r) => n + (f(r) ?? 0), 0);
    expect(left((r) => r.alarms)).toBeGreaterThan(fall.alarms);
    expect(left((r) => r.steps)).toBeGreaterThan(fall.steps);
  });

  const seedCaseAlarmOf = async (kase: Awaited<ReturnType<typeof seedCase>>) => {
    // The first alarm of this device is still open: a second press would join it, so it is resolved first.
    const [first] = (await w.api('GET', '/api/alarms?open=true', 'operator')).json();
    await w.api('POST', `/api/alarms/${first.id}/plan/override`, 'supervisor', { reason: 'test setup' });
    await w.api('POST', `/api/alarms/${first.id}/resolve`, 'operator', { outcome: 'test' });
    return w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
  };
});
