import { describe, expect, it } from 'vitest';
import { ReportBuilder, type ReportOptions } from './reports.ts';
import { toCsv } from './reports-csv.ts';
import type { Span } from './reports-spans.ts';
import type { DeviceHistory, GroupBy, ReportAlarm, ReportDevice, StateInterval } from './reports-types.ts';

const jun = (d: number) => Date.UTC(2026, 5, d); // June 2026 has 30 days
const JUNE = { from: jun(1), to: Date.UTC(2026, 6, 1), asOf: Date.UTC(2026, 6, 15), timeZone: 'UTC' };
// A panic button costs MXN 3,500 a month: 3,500 × 12 ÷ 365 = MXN 115.068… a day.
const PER_DAY = (3500 * 12) / 365;

function device(id: string, over: Partial<ReportDevice> = {}): ReportDevice {
  return {
    id,
    kind: 'panic_button',
    modelId: 'panic-button',
    stateCode: 'VER',
    beneficiaryId: `ben-${id}`,
    monthlyCostMxn: 3500,
    heartbeatIntervalS: 60,
    alarmCapable: true,
    requestedAt: null,
    installedAt: Date.UTC(2026, 0, 1),
    retiredAt: null,
    ...over,
  };
}
const iv = (state: StateInterval['state'], start: number, end: number | null): StateInterval => ({ state, start, end });
/** Full days of heartbeats (1,440 a day at one a minute) from day a to day b of June. */
const beats = (a: number, b: number, perDay = 1440) => Array.from({ length: b - a }, (_, i) => ({ day: jun(a + i), received: perDay }));

function history(d: ReportDevice, over: Partial<DeviceHistory> = {}): DeviceHistory {
  return { device: d, intervals: [], maintenance: [], heartbeatDays: [], alarms: [], ...over };
}

type Extra = Partial<ReportOptions>;
function builder(histories: DeviceHistory[], opts: Extra) {
  const b = new ReportBuilder({ period: JUNE, groupBy: 'kind' as GroupBy, outages: [], suppressSmallGroups: false, ...opts });
  for (const h of histories) b.addDevice(h);
  return b;
}
const rel = (histories: DeviceHistory[], opts: Extra = {}) => builder(histories, opts).finish('reliability');
const cost = (histories: DeviceHistory[], opts: Extra = {}) => builder(histories, opts).finish('cost');

describe('reliability and cost of one panic button', () => {
  // Online 1–11 June (10 days), offline 11–16 (5), online 16–26 (10), offline from 26 June to 3 July.
  const a = history(device('A'), {
    intervals: [
      iv('online', jun(1), jun(11)),
      iv('offline', jun(11), jun(16)),
      iv('online', jun(16), jun(26)),
      iv('offline', jun(26), Date.UTC(2026, 6, 3)),
    ],
    heartbeatDays: [...beats(1, 11), ...beats(16, 26)],
  });

  it('20 of 30 days online is an availability of 20 ÷ 30 = 0.6667', () => {
    expect(rel([a]).total.availability).toBe(0.6667);
  });

  it('heartbeat delivery: 20 days × 1,440 received ÷ 30 days × 1,440 expected = 0.6667', () => {
    expect(rel([a]).total.heartbeatDelivery).toBe(0.6667);
  });

  it('two offline episodes of 5 days each (the second cut at the period end): MTTR 120 h, MTBF 20 days ÷ 2 = 240 h', () => {
    const t = rel([a]).total;
    expect(t.offlineEpisodes).toBe(2);
    expect(t.mttrHours).toBe(120);
    expect(t.mtbfHours).toBe(240);
  });

  it('spend 30 days × 3,500 × 12 ÷ 365 = MXN 3,452.05; wasted 3,452.05 × (1 − 20/30) = 1,150.68; per protected day 3,452.05 ÷ 20 = 172.60', () => {
    const t = cost([a]).total;
    expect(t.spendMxn).toBe(3452.05);
    expect(t.wastedSpendMxn).toBe(1150.68);
    expect(t.availableDays).toBe(20);
    expect(t.costPerProtectedDayMxn).toBe(172.6);
  });
});

describe('devices that were not in service the whole month', () => {
  it('installed on 16 June (requested 27 May): 15 days in service, MXN 15 × 115.07 = 1,726.03, lead time 20 days', () => {
    const b = history(device('B', { requestedAt: Date.UTC(2026, 4, 27), installedAt: jun(16) }), {
      intervals: [iv('never_seen', jun(16), jun(16) + 60_000), iv('online', jun(16) + 60_000, null)],
    });
    const c = cost([b]).total;
    expect(c.inServiceDays).toBe(15);
    expect(c.spendMxn).toBe(Math.round(15 * PER_DAY * 100) / 100);
    expect(c.spendMxn).toBe(1726.03);
    const r = rel([b]).total;
    expect(r.installLeadTimeDaysMean).toBe(20);
    // Online 15 days minus the first minute: (15 × 1,440 − 1) ÷ (15 × 1,440) = 0.99995 → 1.
    expect(r.availability).toBe(1);
  });

  it('retired on 11 June: 10 days in service, MXN 10 × 115.07 = 1,150.68; the days after cost nothing', () => {
    const c = history(device('C', { retiredAt: jun(11) }), {
      intervals: [iv('online', jun(1), jun(11)), iv('retired', jun(11), null)],
      heartbeatDays: beats(1, 11),
    });
    const t = cost([c]).total;
    expect(t.inServiceDays).toBe(10);
    expect(t.spendMxn).toBe(1150.68);
    expect(t.wastedSpendMxn).toBe(0);
    expect(rel([c]).total.availability).toBe(1);
  });

  it('a maintenance window of 1–6 June leaves 25 days in service: MXN 25 × 115.07 = 2,876.71, availability 25 ÷ 25', () => {
    const d = history(device('D'), {
      intervals: [iv('maintenance', jun(1), jun(6)), iv('online', jun(6), null)],
      maintenance: [[jun(1), jun(6)]],
      heartbeatDays: beats(6, 31),
    });
    const t = cost([d]).total;
    expect(t.inServiceDays).toBe(25);
    expect(t.spendMxn).toBe(2876.71);
    const r = rel([d]).total;
    expect(r.availability).toBe(1);
    expect(r.heartbeatDelivery).toBe(1);
  });
});

describe("Centinela's own outage", () => {
  // The centre was down 10–13 June (3 days). The device's record still says online (no one was
  // watching), and only 27 days of heartbeats arrived.
  const e = history(device('E'), { intervals: [iv('online', jun(1), null)], heartbeatDays: [...beats(1, 10), ...beats(13, 31)] });
  const outages: Span[] = [[jun(10), jun(13)]];

  it('is excluded from availability and expected heartbeats: 27 ÷ 27 days = 1, 27 × 1,440 ÷ 27 × 1,440 = 1', () => {
    const r = rel([e], { outages }).total;
    expect(r.availability).toBe(1);
    expect(r.heartbeatDelivery).toBe(1);
  });

  it('is still paid for: 30 days × 115.07 = MXN 3,452.05, none of it wasted', () => {
    const c = cost([e], { outages }).total;
    expect(c.spendMxn).toBe(3452.05);
    expect(c.wastedSpendMxn).toBe(0);
  });

  it('is not charged to cost per protected day: 27 supervised days × 115.07 ÷ 27 available days = 115.07, as with no outage', () => {
    const c = cost([e], { outages }).total;
    expect(c.availableDays).toBe(27);
    expect(c.costPerProtectedDayMxn).toBe(115.07);
    expect(cost([history(device('E2'), { intervals: [iv('online', jun(1), null)] })]).total.costPerProtectedDayMxn).toBe(115.07);
  });

  it('a device offline across the outage is not blamed for it: offline 5–15 June with 10–13 excluded = 7 days', () => {
    const f = history(device('F'), {
      intervals: [iv('online', jun(1), jun(5)), iv('offline', jun(5), jun(15)), iv('online', jun(15), null)],
    });
    const r = rel([f], { outages }).total;
    // Supervised 27 days, online 4 + 16 = 20 → 20 ÷ 27 = 0.7407; one episode of 10 − 3 = 7 days = 168 h.
    expect(r.availability).toBe(0.7407);
    expect(r.mttrHours).toBe(168);
  });
});

describe('alarm handling figures', () => {
  const alarm = (ackS: number | null, over: Partial<ReportAlarm> = {}): ReportAlarm => ({
    kind: 'panic',
    test: false,
    outcome: 'genuine',
    receivedAt: jun(5),
    acknowledgedAt: ackS === null ? null : jun(5) + ackS * 1000,
    dispatchedAt: null,
    onSceneAt: null,
    ...over,
  });
  const alarms = [
    alarm(10, { dispatchedAt: jun(5) + 60_000, onSceneAt: jun(5) + 20 * 60_000 }),
    alarm(20, { dispatchedAt: jun(5) + 90_000, onSceneAt: jun(5) + 45 * 60_000 }),
    alarm(40, { outcome: 'false_alarm' }),
    alarm(90, { outcome: 'false_alarm' }),
    alarm(null, { outcome: 'technical' }),
    alarm(5, { kind: 'test', test: true, outcome: 'test' }),
    alarm(null, { kind: 'test', test: true, outcome: null }),
  ];
  const g = history(device('G'), { intervals: [iv('online', jun(1), null)], alarms });

  it('time to acknowledge over 4 acknowledged non-test alarms (10, 20, 40, 90 s): p50 20 s, p90 90 s', () => {
    const r = rel([g]).total;
    expect(r.nonTestAlarms).toBe(5);
    expect(r.ackP50S).toBe(20);
    expect(r.ackP90S).toBe(90);
  });

  it('acknowledged within 30 s: 2 of 5 = 0.4; within 60 s: 3 of 5 = 0.6 (unanswered counts against)', () => {
    const r = rel([g]).total;
    expect(r.shareAckedWithin30s).toBe(0.4);
    expect(r.shareAckedWithin60s).toBe(0.6);
  });

  it('dispatch p50 60 s; help on scene within 30 min for 1 of 2 dispatched = 0.5 (20 min yes, 45 min no)', () => {
    const r = rel([g]).total;
    expect(r.dispatchP50S).toBe(60);
    expect(r.dispatchP90S).toBe(90);
    expect(r.onSceneP50S).toBe(1200);
    expect(r.shareOnSceneWithin30min).toBe(0.5);
  });

  it('false-alarm ratio 2 false ÷ 5 non-test = 0.4; test pass ratio 1 acknowledged ÷ 2 tests = 0.5', () => {
    const r = rel([g]).total;
    expect(r.falseAlarmRatio).toBe(0.4);
    expect(r.testPassRatio).toBe(0.5);
  });

  it('cost per answered alarm: MXN 3,452.05 ÷ 2 genuine acknowledged alarms = 1,726.03', () => {
    const c = cost([g]).total;
    expect(c.genuineAlarmsAcknowledged).toBe(2);
    expect(c.costPerAnsweredAlarmMxn).toBe(1726.03);
  });
});

describe('protection gaps and single devices', () => {
  it('a beneficiary whose only button was offline 11–16 June has a 5 × 24 = 120 h gap and is flagged', () => {
    const h = history(device('H'), {
      intervals: [iv('online', jun(1), jun(11)), iv('offline', jun(11), jun(16)), iv('online', jun(16), null)],
    });
    const r = rel([h]).total;
    expect(r.protectionGapHours).toBe(120);
    expect(r.singleDeviceBeneficiaries).toBe(1);
  });

  it('a button offline 11–16 June and a satellite phone offline 14–20 June leave a gap only while both were: 14–16 June = 48 h', () => {
    const b = history(device('J1', { beneficiaryId: 'ben-J' }), {
      intervals: [iv('online', jun(1), jun(11)), iv('offline', jun(11), jun(16)), iv('online', jun(16), null)],
    });
    const p = history(device('J2', { beneficiaryId: 'ben-J', kind: 'satellite_phone', modelId: 'satellite-phone' }), {
      intervals: [iv('online', jun(1), jun(14)), iv('offline', jun(14), jun(20)), iv('online', jun(20), null)],
    });
    const r = rel([b, p]).total;
    expect(r.protectionGapHours).toBe(48);
    expect(r.singleDeviceBeneficiaries).toBe(0);
  });

  it('a camera (no alarm path) offline does not open a gap; a button in maintenance or still unseen is not offline', () => {
    const cam = history(device('K1', { beneficiaryId: 'ben-K', kind: 'camera', modelId: 'camera', alarmCapable: false }), {
      intervals: [iv('offline', jun(1), null)],
    });
    const btn = history(device('K2', { beneficiaryId: 'ben-K' }), {
      intervals: [iv('maintenance', jun(1), jun(6)), iv('never_seen', jun(6), jun(8)), iv('online', jun(8), null)],
      maintenance: [[jun(1), jun(6)]],
    });
    expect(rel([cam, btn]).total.protectionGapHours).toBe(0);
  });

  it("the centre's own outage is not a gap of the person's: offline 5–15 June with the centre down 10–13 June = 7 × 24 = 168 h", () => {
    const f = history(device('L'), {
      intervals: [iv('online', jun(1), jun(5)), iv('offline', jun(5), jun(15)), iv('online', jun(15), null)],
    });
    expect(rel([f], { outages: [[jun(10), jun(13)]] }).total.protectionGapHours).toBe(168);
  });

  it('a beneficiary with a button and a satellite phone is not flagged', () => {
    const i1 = history(device('I1', { beneficiaryId: 'ben-I' }));
    const i2 = history(device('I2', { beneficiaryId: 'ben-I', kind: 'satellite_phone', modelId: 'satellite-phone' }));
    expect(rel([i1, i2]).total.singleDeviceBeneficiaries).toBe(0);
  });
});

describe('billed but silent', () => {
  it('a button installed before June that never sent anything in June is billed MXN 3,452.05 for silence', () => {
    const s = history(device('S'), { intervals: [iv('never_seen', Date.UTC(2026, 0, 1), null)] });
    const c = cost([s]).total;
    expect(c.billedButSilentDevices).toBe(1);
    expect(c.billedButSilentSpendMxn).toBe(3452.05);
    expect(c.wastedSpendMxn).toBe(3452.05);
  });
});

describe('groups', () => {
  const fleet = [
    ...['v1', 'v2', 'v3', 'v4', 'v5'].map((id) => history(device(id, { stateCode: 'VER' }), { intervals: [iv('online', jun(1), null)] })),
    ...['g1', 'g2'].map((id) => history(device(id, { stateCode: 'GRO' }), { intervals: [iv('online', jun(1), null)] })),
  ];

  it('for analysts Guerrero (2 people < 5) is withheld, and Veracruz with it, or Total − Veracruz would give Guerrero', () => {
    const r = cost(fleet, { groupBy: 'state', suppressSmallGroups: true });
    const gro = r.rows.find((x) => x.group === 'GRO');
    const ver = r.rows.find((x) => x.group === 'VER');
    expect(gro).toMatchObject({ suppressed: true, spendMxn: null, beneficiaries: null, devices: null });
    expect(ver).toMatchObject({ suppressed: true, spendMxn: null });
    expect(r.suppressedGroups).toBe(2);
    // The Total (7 people) is shown, the same as in every other grouping: 7 × 30 × 115.07 = MXN 24,164.38.
    expect(r.total).toMatchObject({ suppressed: false, beneficiaries: 7, spendMxn: 24164.38 });
    expect(cost(fleet, { groupBy: 'kind', suppressSmallGroups: true }).total).toEqual(r.total);
  });

  it('GRO (2) and OAX (3) together reach 5 people: both withheld, Veracruz and the Total shown', () => {
    const more = [
      ...fleet,
      ...['o1', 'o2', 'o3'].map((id) => history(device(id, { stateCode: 'OAX' }), { intervals: [iv('online', jun(1), null)] })),
    ];
    const r = cost(more, { groupBy: 'state', suppressSmallGroups: true });
    expect(r.rows.filter((x) => x.suppressed).map((x) => x.group)).toEqual(['GRO', 'OAX']);
    expect(r.rows.find((x) => x.group === 'VER')).toMatchObject({ suppressed: false, spendMxn: 17260.27 });
    // 10 buttons × 30 days × 115.07 = MXN 34,520.55.
    expect(r.total).toMatchObject({ suppressed: false, beneficiaries: 10, spendMxn: 34520.55 });
  });

  it('counts people, not devices: 4 people with 3 buttons each in Guerrero are still withheld', () => {
    const gro = ['p1', 'p2', 'p3', 'p4'].flatMap((p) =>
      [1, 2, 3].map((n) =>
        history(device(`${p}-${n}`, { stateCode: 'GRO', beneficiaryId: p }), { intervals: [iv('online', jun(1), null)] }),
      ),
    );
    const vers = ['v6', 'v7', 'v8', 'v9', 'v10'].map((id) =>
      history(device(id, { stateCode: 'OAX' }), { intervals: [iv('online', jun(1), null)] }),
    );
    const r = cost([...fleet.slice(0, 5), ...vers, ...gro], { groupBy: 'state', suppressSmallGroups: true });
    expect(r.rows.find((x) => x.group === 'GRO')).toMatchObject({ suppressed: true });
    // GRO (4 people) needs a partner to reach 5: the smaller of OAX and VER (5 each; OAX first by name).
    expect(r.rows.filter((x) => x.suppressed).map((x) => x.group)).toEqual(['GRO', 'OAX']);
  });

  it('a period with nothing in service says "no data", never "suppressed"', () => {
    const r = cost([], { groupBy: 'state', suppressSmallGroups: true });
    expect(r.noData).toBe(true);
    expect(r.total.suppressed).toBe(false);
    expect(r.rows).toEqual([]);
  });

  it('without suppression (administrators) Guerrero shows 2 × 30 × 115.07 = MXN 6,904.11', () => {
    const r = cost(fleet, { groupBy: 'state' });
    expect(r.rows.find((x) => x.group === 'GRO')?.spendMxn).toBe(6904.11);
  });

  it('by month, a button in service 16 May–15 June counts 16 days in May and 14 in June', () => {
    const m = history(device('M', { installedAt: Date.UTC(2026, 4, 16), retiredAt: jun(15) }), {
      intervals: [iv('online', Date.UTC(2026, 4, 16), jun(15))],
    });
    const r = cost([m], {
      groupBy: 'month',
      period: { from: Date.UTC(2026, 4, 1), to: Date.UTC(2026, 6, 1), asOf: JUNE.asOf, timeZone: 'UTC' },
    });
    expect(r.rows.map((x) => [x.group, x.inServiceDays])).toEqual([
      ['2026-05', 16],
      ['2026-06', 14],
    ]);
  });

  it("months are the centre's: in Mexico City (UTC−6) a button in service from 1 June 02:00 UTC counts its first 4 h in May", () => {
    const start = Date.UTC(2026, 5, 1, 2);
    const m = history(device('MX', { installedAt: start }), { intervals: [iv('online', start, null)] });
    const period = { from: Date.UTC(2026, 4, 1, 6), to: Date.UTC(2026, 6, 1, 6), asOf: JUNE.asOf, timeZone: 'America/Mexico_City' };
    const r = cost([m], { groupBy: 'month', period });
    // May ends at 1 June 06:00 UTC: 4 h = 0.1667 days in May; June (1 June 06:00 to 1 July 06:00) is 30 whole days.
    expect(r.rows.map((x) => [x.group, x.inServiceDays])).toEqual([
      ['2026-05', 0.1667],
      ['2026-06', 30],
    ]);
  });

  it('exports CSV with one header line and a row per group', () => {
    const r = cost(fleet, { groupBy: 'state' });
    const csv = toCsv(r.rows as unknown as Record<string, unknown>[]);
    const lines = csv.trim().split('\n');
    expect(lines[0]?.startsWith('group,suppressed,beneficiaries,devices,inServiceDays,spendMxn')).toBe(true);
    expect(lines).toHaveLength(3);
    expect(lines[1]?.split(',').slice(0, 6)).toEqual(['GRO', 'false', '2', '2', '60', '6904.11']);
  });
});
