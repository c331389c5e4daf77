import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { hashSecret } from '../src/platform/secrets.ts';
import { systemActor } from '../src/store/index.ts';
import { seedCase, startAlertsWorld } from './fixtures/alerts-world.ts';

type World = Awaited<ReturnType<typeof startAlertsWorld>>;
let w: World;

beforeEach(async () => {
  w = await startAlertsWorld();
});
afterEach(async () => {
  await w.stop();
});

const MUNICIPAL = '+527470000001';
const RESPONDER_PHONES = [MUNICIPAL, '+527470000002', '+525500000003'];

type Dispatched = { state: string; dispatch: { paged: { responderId: string }[]; reason: string | null } };
type Detail = { timeline: { kind: string; detail: Record<string, unknown> | null }[] };

/**
 * Issue 14 §6: "Despachar" tells the truth on any kind of alarm. It pages the jurisdiction's
 * responder (never a presumed aggressor), or answers plainly that nobody was paged and why —
 * and the timeline keeps it.
 */
describe('dispatch tells the truth', () => {
  test('on a motion alarm (a policy without a responder step) the municipal police of the jurisdiction is paged', async () => {
    const kase = await seedCase(w.c);
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id, kind: 'motion' });
    const res = await w.api('POST', `/api/alarms/${alarmId}/dispatch`, 'operator', {});
    expect(res.status).toBe(200);
    const body = res.json() as Dispatched;
    expect(body.state).toBe('dispatched');
    expect(body.dispatch).toEqual({ paged: [{ responderId: kase.responders.municipalPolice, channel: 'sms' }], reason: null });
    const sms = await w.rec.waitFor((r) => r.form.To === MUNICIPAL);
    expect(sms.form.Body).toContain(`Ref ${alarmId}`);
  });

  test('on a motion alarm whose every responder is a presumed aggressor, nobody is paged and the answer says so', async () => {
    const kase = await seedCase(w.c, {
      aggressors: (r) => [
        { type: 'authority', responderKind: 'municipal_police', stateCode: 'GRO' },
        { type: 'authority', responderKind: 'state_police', stateCode: 'GRO' },
        { type: 'responder', responderId: r.rapidReaction },
      ],
    });
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id, kind: 'motion' });
    // The console message "no safe responder" queued by the dispatch: the outbox has worked through it.
    const sent = w.c.events.next('notification.changed', (e) => e.alarmId === alarmId && e.channel === 'console');
    const body = (await w.api('POST', `/api/alarms/${alarmId}/dispatch`, 'operator', {})).json() as Dispatched;
    expect(body.dispatch).toEqual({ paged: [], reason: 'all_responders_presumed_aggressors' });
    const detail = (await w.api('GET', `/api/alarms/${alarmId}`, 'operator')).json() as Detail;
    expect(detail.timeline.find((e) => e.kind === 'dispatch_paged_nobody')?.detail).toEqual({
      reason: 'all_responders_presumed_aggressors',
    });
    await sent;
    expect(w.rec.requests.filter((r) => RESPONDER_PHONES.includes(r.form.To as string))).toEqual([]);
  });

  test('on a test alarm nobody outside the centre is paged, and the answer says it is a test', async () => {
    const kase = await seedCase(w.c);
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id, kind: 'test', test: true });
    const body = (await w.api('POST', `/api/alarms/${alarmId}/dispatch`, 'operator', {})).json() as Dispatched;
    expect(body.dispatch).toEqual({ paged: [], reason: 'test_alarm' });
    expect(w.rec.requests.filter((r) => RESPONDER_PHONES.includes(r.form.To as string))).toEqual([]);
  });

  test('a device in a state with no registered authority: nobody is paged, because nobody is registered there', async () => {
    await w.c.repos.devices.create(
      systemActor('test'),
      { id: 'cam-yuc-1', modelId: 'camera', beneficiaryId: null, stateCode: 'YUC' },
      await hashSecret('s'),
    );
    const alarmId = await w.raise({ deviceId: 'cam-yuc-1', beneficiaryId: null, kind: 'intrusion' });
    const body = (await w.api('POST', `/api/alarms/${alarmId}/dispatch`, 'operator', {})).json() as Dispatched;
    expect(body.dispatch).toEqual({ paged: [], reason: 'no_responder_in_jurisdiction' });
  });

  test('a panic alarm whose responder was paged by itself at 60 s: dispatch says it was paged earlier, and pages no one twice', async () => {
    const kase = await seedCase(w.c);
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    w.clock.advance(61_000);
    w.c.parts.alerts.kick();
    await w.rec.waitFor((r) => r.form.To === MUNICIPAL);
    const body = (await w.api('POST', `/api/alarms/${alarmId}/dispatch`, 'operator', {})).json() as Dispatched;
    expect(body.dispatch).toEqual({ paged: [], reason: 'responder_paged_earlier' });
    expect(w.rec.sms(MUNICIPAL)).toHaveLength(1);
  });

  test('a panic alarm whose responder step already found no safe responder: dispatch says why, not "paged earlier"', async () => {
    const kase = await seedCase(w.c, {
      aggressors: (r) => [
        { type: 'authority', responderKind: 'municipal_police', stateCode: 'GRO' },
        { type: 'authority', responderKind: 'state_police', stateCode: 'GRO' },
        { type: 'responder', responderId: r.rapidReaction },
      ],
    });
    const opened = w.c.events.next('notification.changed', (e) => e.channel === 'console');
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    await opened;
    // Steps due together commit together: a console message after 61 s means the responder step ran.
    const fired = w.c.events.next('notification.changed', (e) => e.alarmId === alarmId && e.channel === 'console');
    w.clock.advance(61_000);
    w.c.parts.alerts.kick();
    await fired;
    const body = (await w.api('POST', `/api/alarms/${alarmId}/dispatch`, 'operator', {})).json() as Dispatched;
    expect(body.dispatch).toEqual({ paged: [], reason: 'all_responders_presumed_aggressors' });
    expect(w.rec.requests.filter((r) => RESPONDER_PHONES.includes(r.form.To as string))).toEqual([]);
  });
});
