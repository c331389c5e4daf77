import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { hashSecret } from '../src/platform/secrets.ts';
import { systemActor } from '../src/store/index.ts';
import { addStaff, seedCase, startAlertsWorld } from './fixtures/alerts-world.ts';

type World = Awaited<ReturnType<typeof startAlertsWorld>>;
let w: World;
const SUPERVISOR = '+527479990041';
const MIN = 60_000;

beforeEach(async () => {
  w = await startAlertsWorld();
  await addStaff(w.c, 'supervisor', SUPERVISOR);
});
afterEach(async () => {
  await w.stop();
});

const severityOf = async (alarmId: string) => (await w.c.repos.alarms.require(alarmId)).severity;

/** A signal raised for another person, awaited: every listener of the events emitted before it has run. */
async function settle() {
  const other = await seedCase(w.c);
  const alarmId = await w.raise({ deviceId: other.deviceId, beneficiaryId: other.beneficiary.id });
  const escalated = w.c.events.next('alarm.escalated', (e) => e.alarmId === alarmId);
  deviceEvent(other.deviceId, 'tamper');
  await escalated;
}

function deviceEvent(deviceId: string, kind: 'tamper' | 'power_lost') {
  w.c.events.emit('device.event.received', {
    deviceId,
    kind,
    at: w.clock.now(),
    receivedAt: w.clock.now(),
    clockSuspect: false,
    detail: null,
  });
}

/**
 * Issue 14 §7: no false "possible seizure" — a test alarm, or a last will for a device that is
 * connected elsewhere, never counts; a real power loss or confirmed silence within 15 minutes
 * still does; a satellite phone's missed check-in after an alarm is its seizure signal.
 */
describe('the seizure rule tells the truth', () => {
  test('power lost 12 minutes after a panic alarm raises it to critical and texts the supervisor', async () => {
    const kase = await seedCase(w.c);
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    w.clock.advance(12 * MIN);
    const escalated = w.c.events.next('alarm.escalated', (e) => e.alarmId === alarmId);
    deviceEvent(kase.deviceId, 'power_lost');
    expect(await escalated).toMatchObject({ severity: 'critical', reason: 'possible seizure: device power_lost' });
    // The text about the seizure itself: after 12 minutes the policy's own supervisor step may
    // page first, also marked critical now that the alarm is.
    const sms = await w.rec.waitFor((r) => r.form.To === SUPERVISOR && String(r.form.Body).includes('perdió energía'));
    expect(sms.form.Body).toContain('CRÍTICO');
  });

  test('a test alarm followed by a tamper (a technician opening the case) is no seizure', async () => {
    const kase = await seedCase(w.c);
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id, kind: 'test', test: true });
    w.clock.advance(2 * MIN);
    deviceEvent(kase.deviceId, 'tamper');
    deviceEvent(kase.deviceId, 'power_lost');
    await settle();
    expect(await severityOf(alarmId)).not.toBe('critical');
    expect(w.rec.sms(SUPERVISOR).filter((r) => String(r.form.Body).includes('CRÍTICO'))).toEqual([]);
  });

  test('a last will that arrives for a device already connected elsewhere (a dead node, a takeover) is no seizure', async () => {
    const kase = await seedCase(w.c);
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    w.clock.advance(MIN);
    // The device reconnected to a live node; the dead node's will for the old connection comes later.
    w.c.events.emit('device.connected', { deviceId: kase.deviceId, at: w.clock.now() });
    w.clock.advance(3 * MIN);
    w.c.events.emit('device.disconnected', { deviceId: kase.deviceId, at: w.clock.now(), lastWill: true });
    await settle();
    expect(await severityOf(alarmId)).toBe('high');
  });

  test('a last will that health then confirms as silence is a seizure, timed from the will', async () => {
    const kase = await seedCase(w.c);
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    w.clock.advance(14 * MIN);
    const willAt = w.clock.now();
    w.c.events.emit('device.disconnected', { deviceId: kase.deviceId, at: willAt, lastWill: true });
    expect(await severityOf(alarmId)).toBe('high');
    // Confirmed two minutes later (16 min after the alarm): still within 15 minutes of the will's moment.
    w.clock.advance(2 * MIN);
    const escalated = w.c.events.next('alarm.escalated', (e) => e.alarmId === alarmId);
    w.c.events.emit('device.silent', {
      deviceId: kase.deviceId,
      beneficiaryId: kase.beneficiary.id,
      at: w.clock.now(),
      lastSeenAt: willAt,
    });
    expect(await escalated).toMatchObject({ severity: 'critical', reason: 'possible seizure: device disconnected' });
  });

  test('a satellite phone that misses the check-in expected after its SOS raises the SOS to critical; a panic button running late does not', async () => {
    const kase = await seedCase(w.c);
    await w.c.repos.devices.create(
      systemActor('test'),
      { id: 'sat-1', modelId: 'satellite-phone', beneficiaryId: kase.beneficiary.id, stateCode: 'GRO' },
      await hashSecret('s'),
    );
    const sos = await w.raise({ deviceId: 'sat-1', beneficiaryId: kase.beneficiary.id, kind: 'sos' });
    // Half an hour of silence is normal for a phone that checks in hourly.
    w.clock.advance(30 * MIN);
    w.c.events.emit('device.silent', { deviceId: 'sat-1', beneficiaryId: kase.beneficiary.id, at: w.clock.now(), lastSeenAt: null });
    await settle();
    expect(await severityOf(sos)).toBe('high');
    // Only 30 minutes: a silence after 15 minutes is no signal here, but the missed check-in is.
    w.clock.advance(60 * MIN);
    const escalated = w.c.events.next('alarm.escalated', (e) => e.alarmId === sos);
    w.c.events.emit('device.state.changed', {
      deviceId: 'sat-1',
      beneficiaryId: kase.beneficiary.id,
      from: 'online',
      to: 'late',
      at: w.clock.now(),
    });
    expect(await escalated).toMatchObject({ severity: 'critical', reason: 'possible seizure: device missed_checkin' });

    const button = await seedCase(w.c);
    const panic = await w.raise({ deviceId: button.deviceId, beneficiaryId: button.beneficiary.id });
    w.clock.advance(20 * MIN);
    w.c.events.emit('device.state.changed', {
      deviceId: button.deviceId,
      beneficiaryId: button.beneficiary.id,
      from: 'online',
      to: 'late',
      at: w.clock.now(),
    });
    await settle();
    expect(await severityOf(panic)).toBe('high');
  });
});
