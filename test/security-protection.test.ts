import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { addStaff, seedCase, startAlertsWorld } from './fixtures/alerts-world.ts';

type World = Awaited<ReturnType<typeof startAlertsWorld>>;
let w: World;
afterEach(async () => {
  await w.stop();
});

const H = 3_600_000;
const at = (ms: number) => new Date(ms).toISOString();
const windows = async () => (await w.api('GET', '/api/service-windows', 'supervisor')).json();
const changesOf = async (deviceId: string) =>
  ((await windows()).changes as { deviceId: string; action: string; actorRole: string }[]).filter((c) => c.deviceId === deviceId);

describe('maintenance windows are bounded and audited (issue 15)', () => {
  beforeEach(async () => {
    w = await startAlertsWorld();
  });

  test('a technician cannot take a person out of protection until 2126: refused naming the limit, nothing recorded', async () => {
    const { deviceId } = await seedCase(w.c);
    const res = await w.api('POST', `/api/devices/${deviceId}/maintenance`, 'technician', { endsAt: '2126-01-01T00:00:00Z', reason: 'x' });
    expect(res.status).toBe(403);
    expect(res.json().error.message).toContain('at most 72 hours (CENTINELA_MAINTENANCE_MAX_H)');
    expect((await windows()).maintenance).toEqual([]);
    expect(await changesOf(deviceId)).toEqual([]);
  });

  test('renewing by chaining windows counts as one; beyond the limit only a supervisor may, and every change is audited and visible', async () => {
    const { deviceId } = await seedCase(w.c);
    const now = w.clock.now();
    const first = await w.api('POST', `/api/devices/${deviceId}/maintenance`, 'technician', { endsAt: at(now + 72 * H), reason: 'repair' });
    expect(first.status).toBe(201);
    const chained = await w.api('POST', `/api/devices/${deviceId}/maintenance`, 'technician', {
      startsAt: at(now + 72 * H),
      endsAt: at(now + 80 * H),
    });
    expect(chained.status).toBe(403);
    expect(chained.json().error.message).toContain('together with the windows it extends');
    const bySupervisor = await w.api('POST', `/api/devices/${deviceId}/maintenance`, 'supervisor', {
      startsAt: at(now + 72 * H),
      endsAt: at(now + 80 * H),
      reason: 'parts delayed',
    });
    expect(bySupervisor.status).toBe(201);
    const seen = await windows();
    expect(seen.maintenance.filter((m: { deviceId: string }) => m.deviceId === deviceId)).toHaveLength(2);
    expect((await changesOf(deviceId)).map((c) => [c.action, c.actorRole])).toEqual([
      ['plan_maintenance', 'supervisor'],
      ['plan_maintenance', 'technician'],
    ]);
    // The audit chain holds them too, and stays intact.
    expect((await w.api('GET', '/api/audit/verify', 'admin')).json()).toMatchObject({ ok: true });
  });

  test('operators and analysts do not see who is out of protection', async () => {
    expect((await w.api('GET', '/api/service-windows', 'analyst')).status).toBe(403);
    expect((await w.api('GET', '/api/service-windows', 'operator')).status).toBe(403);
  });
});

describe('the configured maximum', () => {
  test('CENTINELA_MAINTENANCE_MAX_H lowers the limit and the refusal names it', async () => {
    w = await startAlertsWorld('sqlite', { CENTINELA_MAINTENANCE_MAX_H: '4' });
    const { deviceId } = await seedCase(w.c);
    const res = await w.api('POST', `/api/devices/${deviceId}/maintenance`, 'technician', { endsAt: at(w.clock.now() + 5 * H) });
    expect(res.status).toBe(403);
    expect(res.json().error.message).toContain('at most 4 hours');
  });
});

describe('test mode is bounded per run and audited (issue 15)', () => {
  beforeEach(async () => {
    w = await startAlertsWorld();
  });

  test('renewals cannot keep a device on test beyond 4 hours unless a supervisor renews', async () => {
    const { deviceId } = await seedCase(w.c);
    expect((await w.api('POST', `/api/devices/${deviceId}/test`, 'technician', { minutes: 240 })).status).toBe(200);
    w.clock.advance(60 * 60_000);
    const renewed = await w.api('POST', `/api/devices/${deviceId}/test`, 'technician', { minutes: 240 });
    expect(renewed.status).toBe(403);
    expect(renewed.json().error.message).toContain('at most 4 hours in a row');
    const stillUntil = (await windows()).onTest.find((d: { deviceId: string }) => d.deviceId === deviceId);
    expect(Date.parse(stillUntil.until) - Date.parse(stillUntil.since)).toBe(4 * H);
    expect((await w.api('POST', `/api/devices/${deviceId}/test`, 'supervisor', { minutes: 240 })).status).toBe(200);
    expect((await changesOf(deviceId)).map((c) => [c.action, c.actorRole])).toEqual([
      ['start_test', 'supervisor'],
      ['start_test', 'technician'],
    ]);
  });

  test('a panic pressed while the device is on test is shown to the centre as possibly real', async () => {
    const kase = await seedCase(w.c);
    await addStaff(w.c, 'supervisor', '+527479990030');
    await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id, test: true });
    w.clock.advance(60_000);
    const page = await w.rec.waitFor((r) => r.kind === 'sms' && r.form.To === '+527479990030');
    expect(page.form.Body).toContain('[PRUEBA — puede ser una alarma real: confirme con la persona]');
  });
});
