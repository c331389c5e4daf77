import { afterEach, describe, expect, it } from 'vitest';
import { alarmRow } from '../src/store/index.ts';
import { ENGINES } from './fixtures/databases.ts';
import { type HealthHarness, healthHarness, T0 } from './fixtures/health-harness.ts';

const MIN = 60_000;

describe.each(ENGINES)('reports from what supervision recorded, on %s', (engine) => {
  let h: HealthHarness;
  afterEach(async () => {
    await h?.stop();
  });

  async function beatEveryMinute(id: string, minutes: number) {
    for (let i = 0; i < minutes; i++) {
      await h.advance(MIN);
      h.heartbeat(id);
    }
    await h.api.flush();
  }

  it('a button silent for an hour out of three is available 2 ÷ 3 of the time: one episode, MTTR 1 h, MTBF 2 h', async () => {
    h = await healthHarness(engine);
    await h.addDevice('btn-1');
    h.heartbeat('btn-1'); // T0: online
    await beatEveryMinute('btn-1', 60); // last beat at T0 + 60 min
    await h.advance(3 * MIN); // offline at T0 + 63 min (180 s after the last beat)
    expect(h.api.liveness('btn-1')?.state).toBe('offline');
    await h.advance(60 * MIN); // T0 + 123 min: back
    h.heartbeat('btn-1');
    await beatEveryMinute('btn-1', 57); // T0 + 180 min
    expect(h.clock.now()).toBe(T0 + 180 * MIN);

    const period = { from: T0, to: T0 + 180 * MIN, groupBy: 'kind' as const };
    const r = await h.api.reliabilityReport(period, false);
    // Online or late 0–63 min and 123–180 min = 120 of 180 min.
    expect(r.total).toMatchObject({ availability: 0.6667, offlineEpisodes: 1, mttrHours: 1, mtbfHours: 2 });
    const c = await h.api.costReport(period, false);
    // 3 h = 0.125 day × 3,500 × 12 ÷ 365 = MXN 14.38; a third of it wasted = 4.79.
    expect(c.total).toMatchObject({ spendMxn: 14.38, wastedSpendMxn: 4.79 });
    const [incident] = await h.api.incidents({ deviceId: 'btn-1' });
    expect(incident?.durationMs).toBe(60 * MIN);
  });

  it('the hour Centinela was down is not counted against a button that was silent through it', async () => {
    h = await healthHarness(engine);
    await h.addDevice('btn-2');
    h.heartbeat('btn-2');
    await beatEveryMinute('btn-2', 60);
    await h.restart(60 * MIN); // centre down T0 + 60 → T0 + 120 min
    h.heartbeat('btn-2');
    await beatEveryMinute('btn-2', 60); // T0 + 180 min
    const r = await h.api.reliabilityReport({ from: T0, to: T0 + 180 * MIN, groupBy: 'kind' }, false);
    // Supervised 180 − 60 = 120 min, online all of it.
    expect(r.total).toMatchObject({ availability: 1, offlineEpisodes: 0 });
    const c = await h.api.costReport({ from: T0, to: T0 + 180 * MIN, groupBy: 'kind' }, false);
    // Paid for all 3 h all the same: MXN 14.38, none wasted.
    expect(c.total).toMatchObject({ spendMxn: 14.38, wastedSpendMxn: 0 });
  });

  it('leaves check-on-the-person tasks out of alarm figures: one panic acknowledged in 10 s, not a task acknowledged in 10 min', async () => {
    h = await healthHarness(engine);
    await h.addDevice('btn-3');
    h.heartbeat('btn-3');
    await beatEveryMinute('btn-3', 60);
    const alarm = (id: string, kind: string, ackAfterMs: number) =>
      alarmRow({
        id,
        device_id: 'btn-3',
        beneficiary_id: null,
        kind,
        severity: 'high',
        test: 0,
        raised_at: T0 + MIN,
        received_at: T0 + MIN,
        state: 'resolved',
        acknowledged_at: T0 + MIN + ackAfterMs,
        resolved_at: T0 + 30 * MIN,
        outcome: 'genuine',
      });
    await h.db.store.db
      .insertInto('alarms')
      .values([alarm('alm_panic', 'panic', 10_000), alarm('alm_task', 'device_offline', 10 * MIN)])
      .execute();
    const r = await h.api.reliabilityReport({ from: T0, to: T0 + 60 * MIN, groupBy: 'kind' }, false);
    // Only the press counts: 1 non-test alarm, acknowledged in 10 s.
    expect(r.total).toMatchObject({ nonTestAlarms: 1, ackP50S: 10, shareAckedWithin30s: 1 });
  });

  it("runs on the centre's days: a report from 1 June in Mexico City (06:00 UTC) counts 18 h of that UTC day's heartbeats, not none", async () => {
    h = await healthHarness(engine);
    await h.addDevice('btn-4', { installedAt: Date.UTC(2026, 4, 31, 12) });
    const db = h.db.store.db;
    await db.deleteFrom('health_intervals').where('device_id', '=', 'btn-4').execute();
    await db
      .insertInto('health_intervals')
      .values({ id: 'int_btn4', device_id: 'btn-4', state: 'online', started_at: Date.UTC(2026, 4, 31, 12), ended_at: null })
      .execute();
    // One beat a minute: whole UTC days of 1,440 on 31 May, 1 and 2 June; 3 June until 03:00 (now) is 180.
    const days = [
      [Date.UTC(2026, 4, 31), 1440],
      [Date.UTC(2026, 5, 1), 1440],
      [Date.UTC(2026, 5, 2), 1440],
      [Date.UTC(2026, 5, 3), 180],
    ] as const;
    await db
      .insertInto('health_heartbeat_days')
      .values(days.map(([day, received]) => ({ device_id: 'btn-4', day, received, clock_suspect: 0 })))
      .execute();
    h.clock.set(Date.UTC(2026, 5, 3, 3));
    const from = Date.UTC(2026, 5, 1, 6); // 1 June 00:00 in Mexico City
    expect(h.api.timeZone).toBe('America/Mexico_City');
    const r = await h.api.reliabilityReport({ from, to: h.clock.now(), groupBy: 'kind' }, false);
    // Expected: 45 h × 60 = 2,700. Received: 1,440 × 18/24 + 1,440 + 180 = 2,700 (cutting at 00:00 UTC gave 1,620 → 0.6).
    expect(r.total.heartbeatDelivery).toBe(1);
    expect(r.total.availability).toBe(1);
    expect(r.timeZone).toBe('America/Mexico_City');
  });
});
