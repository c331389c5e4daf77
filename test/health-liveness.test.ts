import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES } from './fixtures/databases.ts';
import { type HealthHarness, healthHarness } from './fixtures/health-harness.ts';

const S = 1000;

describe.each(ENGINES)('device supervision on %s', (engine) => {
  let h: HealthHarness;
  afterEach(async () => {
    await h?.stop();
  });

  async function onlineButton(id = 'btn-1', beneficiaryId: string | null = null) {
    await h.addDevice(id, { beneficiaryId });
    h.heartbeat(id);
    await h.api.flush();
  }

  const names = () => h.seen.map((e) => e.name);
  const intervals = (id: string) =>
    h.db.store.db
      .selectFrom('health_intervals')
      .select(['state', 'started_at', 'ended_at'])
      .where('device_id', '=', id)
      .orderBy('started_at')
      .orderBy('state')
      .execute();

  it('a panic button that stops beating is late at 90 s and offline at 180 s, with a technician incident and an operator page', async () => {
    h = await healthHarness(engine);
    await onlineButton();
    expect(h.api.liveness('btn-1')?.state).toBe('online');
    await h.advance(90 * S);
    expect(h.api.liveness('btn-1')?.state).toBe('late');
    await h.advance(89 * S);
    expect(h.api.liveness('btn-1')?.state).toBe('late');
    await h.advance(1 * S);
    expect(h.api.liveness('btn-1')?.state).toBe('offline');
    const silent = h.seen.find((e) => e.name === 'device.silent');
    expect(silent?.payload).toMatchObject({ deviceId: 'btn-1', lastSeenAt: h.clock.now() - 180 * S });
    const open = await h.api.incidents({ open: true });
    expect(open).toMatchObject([{ deviceId: 'btn-1', kind: 'offline', closedAt: null }]);
  });

  it('recovers at the next heartbeat: the incident closes with its duration and device.recovered says how long', async () => {
    h = await healthHarness(engine);
    await onlineButton();
    await h.advance(180 * S);
    await h.advance(600 * S);
    h.heartbeat('btn-1');
    await h.api.flush();
    expect(h.api.liveness('btn-1')?.state).toBe('online');
    expect(h.seen.find((e) => e.name === 'device.recovered')?.payload).toMatchObject({ deviceId: 'btn-1', silentForMs: 600 * S });
    const [incident] = await h.api.incidents({ deviceId: 'btn-1' });
    expect(incident).toMatchObject({ closedReason: 'recovered', durationMs: 600 * S });
  });

  it('stores every state change as an interval', async () => {
    h = await healthHarness(engine);
    await onlineButton();
    await h.advance(180 * S);
    h.heartbeat('btn-1');
    await h.api.flush();
    const rows = await intervals('btn-1');
    expect(rows.map((r) => r.state)).toEqual(['never_seen', 'online', 'late', 'offline', 'online']);
    expect(rows.slice(0, -1).every((r) => r.ended_at !== null)).toBe(true);
    expect(rows.at(-1)?.ended_at).toBeNull();
  });

  it('a last will moves the device to disconnected, and to offline when it is not back within the grace', async () => {
    h = await healthHarness(engine);
    await onlineButton();
    await h.advance(10 * S);
    h.events.emit('device.disconnected', { deviceId: 'btn-1', at: h.clock.now(), lastWill: true });
    await h.api.flush();
    expect(h.api.liveness('btn-1')?.state).toBe('disconnected');
    await h.advance(59 * S);
    expect(h.api.liveness('btn-1')?.state).toBe('disconnected');
    await h.advance(1 * S);
    expect(h.api.liveness('btn-1')?.state).toBe('offline');
    expect(names()).toContain('device.silent');
  });

  it('a clean disconnect is not silence: the window keeps running', async () => {
    h = await healthHarness(engine);
    await onlineButton();
    h.events.emit('device.disconnected', { deviceId: 'btn-1', at: h.clock.now(), lastWill: false });
    await h.api.flush();
    expect(h.api.liveness('btn-1')?.state).toBe('online');
  });

  it('after Centinela was down an hour, devices get a fresh window instead of an offline storm, and the outage is recorded', async () => {
    h = await healthHarness(engine);
    for (const id of ['btn-1', 'btn-2', 'btn-3']) await onlineButton(id);
    await h.restart(3600 * S);
    expect(['btn-1', 'btn-2', 'btn-3'].map((id) => h.api.liveness(id)?.state)).toEqual(['online', 'online', 'online']);
    expect(names()).not.toContain('device.silent');
    const outages = await h.db.store.db.selectFrom('health_centre_outages').selectAll().execute();
    expect(outages).toHaveLength(1);
    expect((outages[0]?.ended_at ?? 0) - (outages[0]?.started_at ?? 0)).toBe(3600 * S);
    // The fresh window is the whole window from the restart: offline at 180 s, not before.
    await h.advance(179 * S);
    expect(h.api.liveness('btn-1')?.state).toBe('late');
    await h.advance(1 * S);
    expect(h.api.liveness('btn-1')?.state).toBe('offline');
  });

  it('a beneficiary whose only button goes offline is in a protection gap until it comes back', async () => {
    h = await healthHarness(engine);
    await h.addBeneficiary('ben-a');
    await onlineButton('btn-a', 'ben-a');
    await h.advance(180 * S);
    expect(h.seen.find((e) => e.name === 'protection.gap.opened')?.payload).toMatchObject({ beneficiaryId: 'ben-a' });
    await h.advance(2 * 3600 * S);
    h.heartbeat('btn-a');
    await h.api.flush();
    expect(h.seen.find((e) => e.name === 'protection.gap.closed')?.payload).toMatchObject({
      beneficiaryId: 'ben-a',
      durationMs: 2 * 3600 * S,
    });
    const gaps = await h.db.store.db.selectFrom('health_protection_gaps').selectAll().execute();
    expect(gaps).toHaveLength(1);
    expect(gaps[0]?.closed_at).not.toBeNull();
  });

  it('a beneficiary with a second working device is not in a gap when one goes offline', async () => {
    h = await healthHarness(engine);
    await h.addBeneficiary('ben-b');
    await onlineButton('btn-b1', 'ben-b');
    await h.addDevice('sat-b2', { model: 'satellite-phone', beneficiaryId: 'ben-b' });
    h.heartbeat('sat-b2');
    await h.advance(180 * S);
    expect(h.api.liveness('btn-b1')?.state).toBe('offline');
    expect(names()).not.toContain('protection.gap.opened');
  });

  it('a per-device override of the window is honoured (offline after 120 s instead of 180 s)', async () => {
    h = await healthHarness(engine);
    await h.addDevice('btn-fast', { offlineAfterS: 120 });
    h.heartbeat('btn-fast');
    await h.advance(120 * S);
    expect(h.api.liveness('btn-fast')?.state).toBe('offline');
  });

  it('a device in maintenance is not declared offline, and comes back with a fresh window', async () => {
    h = await healthHarness(engine);
    await onlineButton();
    const now = h.clock.now();
    await h.api.scheduleMaintenance({ id: 'tech', role: 'technician' }, 'btn-1', now, now + 3600 * S, 'battery swap');
    expect(h.api.liveness('btn-1')?.state).toBe('maintenance');
    await h.advance(1800 * S);
    expect(h.api.liveness('btn-1')?.state).toBe('maintenance');
    await h.advance(1800 * S);
    expect(h.api.liveness('btn-1')?.state).toBe('late');
    expect(names()).not.toContain('device.silent');
  });

  it('a technician puts a device on test for an hour and it returns to service by itself', async () => {
    h = await healthHarness(engine);
    await onlineButton();
    const { onTestUntil } = await h.api.putOnTest({ id: 'tech', role: 'technician' }, 'btn-1', 3600 * S);
    expect(Date.parse(onTestUntil)).toBe(h.clock.now() + 3600 * S);
    await expect(h.api.putOnTest({ id: 'tech', role: 'technician' }, 'btn-1', 5 * 3600 * S)).rejects.toThrow(/at most 4 hours/);
    await h.advance(3600 * S);
    expect((await h.db.repos.devices.intakeView('btn-1'))?.onTestUntil).toBeNull();
  });
});
