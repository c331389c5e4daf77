import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ReportAlarm, ReportDevice, StateInterval } from './reports-types.ts';
import {
  figureInWords,
  placesOf,
  type SuitabilityInput,
  type SuitabilityThresholds,
  suitabilityReport,
  thresholdsSchema,
} from './suitability.ts';

const thresholds: SuitabilityThresholds = thresholdsSchema.parse(
  JSON.parse(readFileSync(new URL('../health/suitability/thresholds.json', import.meta.url), 'utf8')),
);
const jun = (d: number, h = 0) => Date.UTC(2026, 5, d, h);
const JUNE = { from: jun(1), to: Date.UTC(2026, 6, 1), asOf: Date.UTC(2026, 6, 15), timeZone: 'UTC' };
const MIN = 60_000;

function device(id: string, over: Partial<ReportDevice> = {}): ReportDevice {
  return {
    id,
    kind: 'panic_button',
    modelId: 'panic-button',
    stateCode: 'CHH',
    municipality: 'Guadalupe y Calvo',
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
const alarm = (day: number, onSceneMin: number | null): ReportAlarm => ({
  kind: 'panic',
  test: false,
  outcome: 'genuine',
  receivedAt: jun(day),
  acknowledgedAt: jun(day) + 10_000,
  dispatchedAt: jun(day) + 60_000,
  onSceneAt: onSceneMin === null ? null : jun(day) + onSceneMin * MIN,
});
function input(d: ReportDevice, over: Partial<SuitabilityInput> = {}): SuitabilityInput {
  return {
    device: d,
    intervals: [iv('online', jun(1), null)],
    maintenance: [],
    heartbeatDays: [{ day: jun(1), received: 30 * 1440 }],
    alarms: [],
    rssi: [],
    ...over,
  };
}
const run = (inputs: SuitabilityInput[], suppress = false) =>
  suitabilityReport(inputs, { period: JUNE, outages: [], thresholds, suppressSmallGroups: suppress });

describe('suitability figures and verdicts (known answers)', () => {
  // Five people with a button each; help arrived after 200, 220 and 260 min, and once never.
  const buttons = [1, 2, 3, 4, 5].map((n) =>
    input(device(`pb-${n}`), {
      rssi: [-100 - n, -90 - n],
      alarms: n === 1 ? [alarm(3, 200), alarm(5, 220), alarm(7, 260), alarm(9, null)] : [],
    }),
  );

  it('help on scene p50 220 min = 3 h 40 min, p90 260 min: "a button cannot bring help in time"', () => {
    const r = run(buttons);
    const row = r.rows.find((x) => x.kind === 'panic_button' && x.municipality === 'Guadalupe y Calvo');
    expect(row).toMatchObject({ people: 5, devices: 5, alarms: 4, onSceneP50Min: 220, onSceneP90Min: 260, verdict: 'unsuitable' });
    expect(row?.reasons.map((x) => x.text.en)).toEqual([
      'panic buttons here: help on scene p50 3 h 40 min — a button cannot bring help in time',
    ]);
    expect(row?.reasons[0]?.text.es).toBe(
      'botones de pánico aquí: ayuda en el lugar p50 3 h 40 min — un botón no puede traer ayuda a tiempo',
    );
  });

  it('availability 1, every heartbeat in, median (nearest rank, 5th of 10 readings −105…−91 dBm) −101 dBm, cost per protected day 3,500 × 12 ÷ 365 = MXN 115.07', () => {
    const row = run(buttons).rows.find((x) => x.municipality === null);
    expect(row).toMatchObject({ state: 'CHH', availability: 1, checkInShare: 1, medianRssiDbm: -101, costPerProtectedDayMxn: 115.07 });
  });

  it('satellite phones: 38 % of scheduled hourly check-ins arrive (274 of 720 in June) → unsuitable', () => {
    const phones = [1, 2, 3, 4, 5].map((n) =>
      input(
        device(`sat-${n}`, { kind: 'satellite_phone', modelId: 'satellite-phone', heartbeatIntervalS: 3600, monthlyCostMxn: 2900 }),
        // 30 days × 24 expected; 0.38 × 720 = 273.6 → 274 received: 274 ÷ 720 = 0.3806.
        { heartbeatDays: [{ day: jun(1), received: 274 }] },
      ),
    );
    const row = run(phones).rows.find((x) => x.kind === 'satellite_phone' && x.municipality !== null);
    expect(row).toMatchObject({ checkInShare: 0.3806, verdict: 'unsuitable' });
    expect(row?.reasons.map((x) => x.text.en)).toEqual([
      'satellite phones here: 38 % of check-ins arrive — they rarely capture the signal',
    ]);
  });

  it('a button online 80 % of the time is doubtful: "available only 80 % of the time"; a good place is suitable with no reason', () => {
    const flaky = [1, 2, 3, 4, 5].map((n) =>
      input(device(`fl-${n}`, { municipality: 'Chihuahua' }), { intervals: [iv('online', jun(1), jun(25)), iv('offline', jun(25), null)] }),
    );
    const good = [1, 2, 3, 4, 5].map((n) => input(device(`ok-${n}`, { municipality: 'Juárez' })));
    const rows = run([...flaky, ...good]).rows;
    const chihuahua = rows.find((x) => x.municipality === 'Chihuahua');
    expect(chihuahua).toMatchObject({ availability: 0.8, verdict: 'doubtful' });
    expect(chihuahua?.reasons.map((x) => x.text.en)).toContain('available only 80 % of the time');
    expect(rows.find((x) => x.municipality === 'Juárez')).toMatchObject({ verdict: 'suitable', reasons: [] });
  });

  it('a period with nothing in service answers "no data", not a verdict', () => {
    const r = suitabilityReport([input(device('late', { installedAt: Date.UTC(2026, 7, 1) }))], {
      period: JUNE,
      outages: [],
      thresholds,
      suppressSmallGroups: true,
    });
    expect(r).toMatchObject({ noData: true, rows: [], suppressedCells: 0 });
  });

  it('words for figures: 220 min = "3 h 40 min", 45 min, 0.38 = "38 %", MXN 1,234', () => {
    expect(figureInWords('onSceneP50Min', 220)).toBe('3 h 40 min');
    expect(figureInWords('onSceneP90Min', 45)).toBe('45 min');
    expect(figureInWords('checkInShare', 0.38)).toBe('38 %');
    expect(figureInWords('costPerProtectedDayMxn', 1234.4)).toBe('MXN 1,234');
  });
});

describe('places', () => {
  it('a misspelled or missing municipality groups under "unknown" with a count, never merged', () => {
    const devices = [
      ...[1, 2, 3].map((n) => device(`a${n}`, { municipality: 'Guachochi' })),
      device('a4', { municipality: 'guachochi ' }),
      device('a5', { municipality: 'GUACHOCHI' }),
      device('b1', { municipality: 'Guachochy' }),
      device('c1', { municipality: null }),
      device('c2', { municipality: '  ' }),
    ];
    const { place, unknown } = placesOf(devices);
    expect(['a1', 'a4', 'a5'].map((id) => place.get(id))).toEqual(['Guachochi', 'Guachochi', 'Guachochi']);
    expect(place.get('b1')).toBe('unknown');
    expect(place.get('c1')).toBe('unknown');
    expect(unknown.get('CHH')).toEqual({ devices: 3, missing: 2, doubtful: new Set(['Guachochy']) });
  });

  it('municipalities with fewer than 5 people roll up into their state: only the state row shows them', () => {
    const big = [1, 2, 3, 4, 5].map((n) => input(device(`g${n}`, { municipality: 'Guachochi' })));
    const small = [1, 2].map((n) => input(device(`m${n}`, { municipality: 'Morelos' })));
    const r = run([...big, ...small]);
    expect(r.rows.map((x) => [x.state, x.municipality, x.people])).toEqual([
      ['CHH', null, 7],
      ['CHH', 'Guachochi', 5],
    ]);
  });
});

describe('suppression for analysts, as in the other reports', () => {
  const people = (prefix: string, n: number, over: Partial<ReportDevice>) =>
    Array.from({ length: n }, (_, i) => input(device(`${prefix}${i}`, over)));

  it('a state with 3 people is withheld with a partner state, so a kind total minus the states shown never gives it', () => {
    const r = run(
      [
        ...people('chh', 6, { stateCode: 'CHH', municipality: 'Guachochi' }),
        ...people('gro', 5, { stateCode: 'GRO', municipality: 'Chilapa' }),
        ...people('oax', 3, { stateCode: 'OAX', municipality: 'Juchitán' }),
      ],
      true,
    );
    const states = r.rows.filter((x) => x.municipality === null);
    expect(states.filter((x) => x.suppressed).map((x) => x.state)).toEqual(['GRO', 'OAX']);
    expect(states.find((x) => x.state === 'CHH')).toMatchObject({ suppressed: false, people: 6 });
    expect(r.rows.find((x) => x.state === 'GRO' && x.municipality !== null)).toMatchObject({ suppressed: true, verdict: null });
  });

  it('a state row minus its shown municipality would give the rolled-up rest: the municipality is withheld too', () => {
    const r = run(
      [
        ...people('gch', 5, { stateCode: 'CHH', municipality: 'Guachochi' }),
        ...people('mor', 2, { stateCode: 'CHH', municipality: 'Morelos' }),
        ...people('gro', 5, { stateCode: 'GRO', municipality: 'Chilapa' }),
        ...people('ver', 6, { stateCode: 'VER', municipality: 'Xalapa' }),
      ],
      true,
    );
    expect(r.rows.find((x) => x.state === 'CHH' && x.municipality === null)).toMatchObject({ suppressed: false, people: 7 });
    expect(r.rows.find((x) => x.municipality === 'Guachochi')).toMatchObject({ suppressed: true });
  });

  it('refuses a thresholds file with a rule that has neither min nor max, or an unknown figure', () => {
    const rule = { kind: '*', figure: 'availability', verdict: 'doubtful', says: { es: 'x', en: 'x' } };
    expect(thresholdsSchema.safeParse({ minPeople: 5, rules: [rule] }).success).toBe(false);
    expect(thresholdsSchema.safeParse({ minPeople: 5, rules: [{ ...rule, min: 1, figure: 'happiness' }] }).success).toBe(false);
    expect(thresholdsSchema.safeParse({ minPeople: 3, rules: [{ ...rule, min: 0.9 }] }).success).toBe(false);
    expect(thresholdsSchema.safeParse({ minPeople: 5, rules: [{ ...rule, min: 0.9 }] }).success).toBe(true);
  });
});
