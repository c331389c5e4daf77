import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { addStaff, seedCase, startAlertsWorld } from './fixtures/alerts-world.ts';

type World = Awaited<ReturnType<typeof startAlertsWorld>>;
let w: World;

beforeEach(async () => {
  w = await startAlertsWorld();
});
afterEach(async () => {
  await w.stop();
});

const MUNICIPAL = '+527470000001';
const STATE = '+527470000002';
const RAPID = '+525500000003';

describe('P4: never send the aggressor', () => {
  test('responders matching a presumed aggressor are skipped with their reason; the next safe one is paged and no request reaches the aggressors', async () => {
    const kase = await seedCase(w.c, {
      aggressors: (r) => [
        { type: 'authority', responderKind: 'municipal_police', stateCode: 'GRO', municipality: 'Chilpancingo' },
        { type: 'responder', responderId: r.statePolice },
      ],
    });
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    await w.rec.waitFor((r) => r.form.To === '+527471110001');
    expect((await w.api('POST', `/api/alarms/${alarmId}/dispatch`, 'operator', { note: 'sending help' })).status).toBe(200);
    const rapid = await w.rec.waitFor((r) => r.form.To === RAPID);
    expect(rapid.form.Body).toContain(`Ref ${alarmId}`);
    // The timed responder step is finished too: more time brings no second responder page.
    w.clock.advance(600_000);
    const detail = (await w.api('GET', `/api/alarms/${alarmId}`, 'operator')).json();
    const skips = detail.timeline.filter((e: { kind: string }) => e.kind === 'responder_skipped').map((e: { detail: unknown }) => e.detail);
    expect(skips).toEqual([
      { responderId: kase.responders.municipalPolice, reason: 'presumed aggressor: municipal_police of Chilpancingo, GRO' },
      { responderId: kase.responders.statePolice, reason: 'named as a presumed aggressor' },
    ]);
    expect(w.rec.requests.filter((r) => r.form.To === MUNICIPAL || r.form.To === STATE)).toEqual([]);
  });

  test('with no safe responder left the supervisor is paged with that fact, and no responder at all is called', async () => {
    const kase = await seedCase(w.c, {
      aggressors: (r) => [
        { type: 'authority', responderKind: 'municipal_police', stateCode: 'GRO' },
        { type: 'authority', responderKind: 'state_police', stateCode: 'GRO' },
        { type: 'responder', responderId: r.rapidReaction },
      ],
    });
    await addStaff(w.c, 'supervisor', '+527479990020');
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    await w.api('POST', `/api/alarms/${alarmId}/acknowledge`, 'operator', {});
    await w.api('POST', `/api/alarms/${alarmId}/dispatch`, 'operator', {});
    const sup = await w.rec.waitFor((r) => r.form.To === '+527479990020');
    expect(sup.form.Body).toBe(
      `CENTINELA: alarma ${alarmId} de ${kase.beneficiary.alias} sin autoridad segura que enviar (3 descartada(s) por presunta agresora). Decida el envío.`,
    );
    expect(w.rec.requests.filter((r) => [MUNICIPAL, STATE, RAPID].includes(r.form.To as string))).toEqual([]);
    const detail = (await w.api('GET', `/api/alarms/${alarmId}`, 'operator')).json();
    expect(detail.timeline.some((e: { kind: string }) => e.kind === 'no_safe_responder')).toBe(true);
  });
});
