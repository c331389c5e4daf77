import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateHistory } from '../devices/history/generate.ts';
import { remoteMunicipality } from '../devices/history/remote-municipality.ts';
import { reportHistories, suitabilityInputs } from '../devices/history/report-histories.ts';
import { DEFAULT_SCENARIO_PATH, loadScenario, type Scenario } from '../devices/index.ts';
import { monthSlices, startOfMonth } from '../src/domain/calendar.ts';
import { type ReliabilityRow, type Report, ReportBuilder } from '../src/domain/reports.ts';
import { clip, measure, type Span, subtract } from '../src/domain/reports-spans.ts';
import type { DeviceHistory, GroupBy } from '../src/domain/reports-types.ts';
import { placesOf, suitabilityReport, thresholdsSchema } from '../src/domain/suitability.ts';

const END = Date.UTC(2026, 10, 1);
const HOUR = 3_600_000;
const TZ = 'UTC';
const DAY = 86_400_000;
const thresholds = thresholdsSchema.parse(
  JSON.parse(readFileSync(new URL('../src/health/suitability/thresholds.json', import.meta.url), 'utf8')),
);

function report(histories: DeviceHistory[], from: number, to: number, groupBy: GroupBy, outages: Span[], suppress: boolean) {
  const b = new ReportBuilder({ period: { from, to, asOf: END, timeZone: TZ }, groupBy, outages, suppressSmallGroups: suppress });
  for (const h of histories) b.addDevice(h);
  return b.finish('reliability');
}

describe('protection gaps over the seeded year (devices/history)', async () => {
  const scenario = await loadScenario(DEFAULT_SCENARIO_PATH);
  const history = generateHistory(scenario, scenario.seed, END);
  const histories = reportHistories(scenario, history);
  const outage: Span = [history.centreOutage.startedAt, history.centreOutage.endedAt];

  it("finds each sole-button person's gap: the hours their only button was offline, outside the centre's outage", () => {
    const sole = scenario.beneficiaries.filter((b) => b.devices.length === 1 && b.devices[0]?.model === 'panic-button');
    expect(sole.length).toBeGreaterThanOrEqual(3);
    let someoneHadAGap = false;
    for (const b of sole) {
      const own = histories.filter((h) => h.device.beneficiaryId === b.id);
      const offline = own[0]?.intervals.filter((i) => i.state === 'offline').map((i) => [i.start, i.end ?? END] as const) ?? [];
      const expected = measure(subtract(clip(offline, history.from, END), [outage])) / HOUR;
      const r = report(own, history.from, END, 'kind', [outage], false);
      expect(r.total.protectionGapHours).toBeCloseTo(expected, 3);
      expect(r.total.singleDeviceBeneficiaries).toBe(1);
      if (expected > 24) someoneHadAGap = true;
    }
    // The fragile ones (a battery that dies) were without protection for days: the demo showed 0.
    expect(someoneHadAGap).toBe(true);
  });

  it('a person with a button and a satellite phone has a gap only while every device in service was offline', () => {
    const both = histories.filter((h) => h.device.beneficiaryId === 'ben-chh-01');
    expect(both).toHaveLength(2);
    const inService = both.map((h): Span[] => [[Math.max(h.device.installedAt ?? END, history.from), END]]);
    const working = both.map((h, i) =>
      subtract(
        inService[i] ?? [],
        h.intervals.filter((x) => x.state === 'offline').map((x) => [x.start, x.end ?? END] as const),
      ),
    );
    const expected = measure(subtract(subtract(inService.flat(), working.flat()), [outage])) / HOUR;
    const r = report(both, history.from, END, 'kind', [outage], false);
    expect(r.total.protectionGapHours).toBeCloseTo(expected, 3);
    // Less than either device's own offline time: the other one covered the rest.
    const own = both.map(
      (h) => measure(h.intervals.filter((x) => x.state === 'offline').map((x) => [x.start, x.end ?? END] as const)) / HOUR,
    );
    expect(expected).toBeLessThan(Math.max(...own));
    expect(r.total.singleDeviceBeneficiaries).toBe(0);
  });
});

/**
 * An analyst's view of a report as linear algebra: each figure of a row is a sum over
 * (device, month) units, so a row is the 0/1 vector of its units. A withheld row can be solved for
 * exactly when its vector lies in the span of every row shown across the reports combined.
 */
function unitsOf(histories: DeviceHistory[], months: { month: string; from: number; to: number }[]) {
  const index = new Map<string, number>();
  for (const h of histories)
    for (const m of months) {
      const installed = h.device.installedAt ?? Number.POSITIVE_INFINITY;
      if (installed < m.to) index.set(`${h.device.id}|${m.month}`, index.size);
    }
  return index;
}

function rowVector(
  index: Map<string, number>,
  histories: DeviceHistory[],
  months: { month: string; from: number; to: number }[],
  groupBy: GroupBy | 'total',
  key: string,
): Float64Array {
  const v = new Float64Array(index.size);
  for (const h of histories) {
    const d = h.device;
    for (const m of months) {
      const at = index.get(`${d.id}|${m.month}`);
      if (at === undefined) continue;
      const k =
        groupBy === 'total'
          ? key
          : groupBy === 'kind'
            ? d.kind
            : groupBy === 'model'
              ? d.modelId
              : groupBy === 'state'
                ? d.stateCode
                : m.month;
      if (k === key) v[at] = 1;
    }
  }
  return v;
}

/** Gram–Schmidt basis of the shown rows; a vector is solvable when nothing is left after projecting it. */
function residual(basis: Float64Array[], v: Float64Array): number {
  const r = Float64Array.from(v);
  for (const b of basis) {
    let dot = 0;
    for (let i = 0; i < r.length; i++) dot += (r[i] as number) * (b[i] as number);
    for (let i = 0; i < r.length; i++) r[i] = (r[i] as number) - dot * (b[i] as number);
  }
  let norm = 0;
  for (const x of r) norm += x * x;
  return Math.sqrt(norm);
}

function addToBasis(basis: Float64Array[], v: Float64Array): void {
  const r = Float64Array.from(v);
  for (const b of basis) {
    let dot = 0;
    for (let i = 0; i < r.length; i++) dot += (r[i] as number) * (b[i] as number);
    for (let i = 0; i < r.length; i++) r[i] = (r[i] as number) - dot * (b[i] as number);
  }
  let norm = 0;
  for (const x of r) norm += x * x;
  if (Math.sqrt(norm) < 1e-9) return;
  basis.push(r.map((x) => x / Math.sqrt(norm)));
}

const GROUPINGS: GroupBy[] = ['kind', 'model', 'state', 'month'];

function tryEveryCombination(histories: DeviceHistory[], from: number, end: number, maxMonths = 2) {
  const yearMonths = monthSlices(startOfMonth(from, TZ), end, TZ);
  const findings: string[] = [];
  let withheldSeen = 0;
  let combinations = 0;
  // Each report and each row's vector is asked for by many grouping pairs: built once.
  const reports = new Map<string, Report<ReliabilityRow>>();
  const reportOf = (from: number, to: number, groupBy: GroupBy) => {
    const key = `${from}/${to}/${groupBy}`;
    const known = reports.get(key);
    if (known) return known;
    const r = report(histories, from, to, groupBy, [], true);
    reports.set(key, r);
    return r;
  };
  // Adjacent periods of whole months: [a, b) and [b, c), each 1 or 2 months, and their union.
  for (let a = 0; a < yearMonths.length; a++)
    for (let b = a + 1; b <= Math.min(a + maxMonths, yearMonths.length); b++)
      for (let c = b + 1; c <= Math.min(b + maxMonths, yearMonths.length); c++) {
        const span = yearMonths.slice(a, c);
        const index = unitsOf(histories, span);
        const vectors = new Map<string, Float64Array>();
        const vectorOf = (months: typeof span, groupBy: GroupBy | 'total', group: string) => {
          const key = `${months[0]?.from}/${months.length}/${groupBy}/${group}`;
          const known = vectors.get(key);
          if (known) return known;
          const v = rowVector(index, histories, months, groupBy, group);
          vectors.set(key, v);
          return v;
        };
        const periods = [
          [a, b],
          [b, c],
          [a, c],
        ].map(([x, y]) => yearMonths.slice(x, y));
        for (let g1 = 0; g1 < GROUPINGS.length; g1++)
          for (let g2 = g1; g2 < GROUPINGS.length; g2++) {
            combinations += 1;
            const shown: Float64Array[] = [];
            const withheld: { what: string; v: Float64Array }[] = [];
            for (const months of periods) {
              const from = months[0]?.from ?? 0;
              const to = months.at(-1)?.to ?? 0;
              for (const groupBy of new Set([GROUPINGS[g1] as GroupBy, GROUPINGS[g2] as GroupBy])) {
                const r = reportOf(from, to, groupBy);
                const totalV = vectorOf(months, 'total', 'total');
                if (r.total.suppressed) withheld.push({ what: `total ${groupBy} ${from}`, v: totalV });
                else shown.push(totalV);
                for (const row of r.rows) {
                  const v = vectorOf(months, groupBy, row.group);
                  if (row.suppressed)
                    withheld.push({ what: `${groupBy}=${row.group} ${new Date(from).toISOString()}–${new Date(to).toISOString()}`, v });
                  else shown.push(v);
                }
              }
            }
            const basis: Float64Array[] = [];
            for (const v of shown) addToBasis(basis, v);
            for (const w of withheld) {
              if (w.v.every((x) => x === 0)) continue;
              withheldSeen += 1;
              if (residual(basis, w.v) < 1e-6) findings.push(`${GROUPINGS[g1]}+${GROUPINGS[g2]}: ${w.what}`);
            }
          }
      }
  return { findings, withheldSeen, combinations };
}

describe('suppression cannot be undone by combining reports (issue 14.5)', async () => {
  const scenario = await loadScenario(DEFAULT_SCENARIO_PATH);

  it('over the seeded year (4 satellite-phone people, several devices per person), no withheld group can be solved for', () => {
    const history = generateHistory(scenario, scenario.seed, END);
    const { findings, withheldSeen, combinations } = tryEveryCombination(reportHistories(scenario, history), history.from, END);
    expect(combinations).toBeGreaterThan(300);
    // The test is only worth something if groups were in fact withheld (the demo's 324 people in
    // 20 states still leave dozens of small groups a year).
    expect(withheldSeen).toBeGreaterThan(50);
    expect(findings).toEqual([]);
  }, 120_000);

  it('over a fleet three times larger, across six states, with a rare second button model, no withheld group can be solved for', () => {
    const states = ['VER', 'GRO', 'OAX', 'CHP', 'CMX', 'CHH'] as const;
    const beneficiaries: Scenario['beneficiaries'] = [0, 1, 2].flatMap((copy) =>
      scenario.beneficiaries.map((b, i) => ({
        ...b,
        id: `${b.id}-c${copy}`,
        stateCode: states[(i + copy) % states.length] ?? b.stateCode,
        devices: b.devices.map((d) => ({ ...d, id: `${d.id}-c${copy}` })),
      })),
    );
    const larger = { ...scenario, beneficiaries };
    const history = generateHistory(larger, scenario.seed + 7, END);
    // Three people's buttons are of a rarer second model (withheld), nested in a kind that is shown:
    // the kind minus the other model must not give it.
    const lite = new Set(
      reportHistories(larger, history)
        .filter((h) => h.device.modelId === 'panic-button' && h.device.beneficiaryId?.endsWith('-c1'))
        .slice(0, 3)
        .map((h) => h.device.id),
    );
    const histories = reportHistories(larger, history).map((h) =>
      lite.has(h.device.id) ? { ...h, device: { ...h.device, modelId: 'panic-button-lite' } } : h,
    );
    const { findings, withheldSeen, combinations } = tryEveryCombination(histories, history.from, END, 1);
    expect(combinations).toBeGreaterThan(100);
    expect(withheldSeen).toBeGreaterThan(50);
    expect(findings).toEqual([]);
  }, 240_000);
});

describe('the suitability report keeps the same rule (issue 19.3)', async () => {
  const scenario = await loadScenario(DEFAULT_SCENARIO_PATH);

  it('combined with reliability by kind and by state over adjacent months, no withheld suitability cell can be solved for', () => {
    const remote = remoteMunicipality(scenario.seed, END, 7);
    const inputs = [
      ...suitabilityInputs(scenario, generateHistory(scenario, scenario.seed, END)),
      ...suitabilityInputs({ beneficiaries: remote.beneficiaries }, remote.history),
    ];
    const { place } = placesOf(inputs.map((i) => i.device));
    const yearMonths = monthSlices(startOfMonth(END - 200 * DAY, TZ), END, TZ);
    const findings: string[] = [];
    let withheldSeen = 0;
    for (let a = 0; a + 2 <= yearMonths.length; a++) {
      const span = yearMonths.slice(a, a + 2);
      const index = unitsOf(inputs, span);
      const shown: Float64Array[] = [];
      const withheld: { what: string; v: Float64Array }[] = [];
      for (const months of [span.slice(0, 1), span.slice(1, 2), span]) {
        const from = months[0]?.from ?? 0;
        const to = months.at(-1)?.to ?? 0;
        for (const groupBy of ['kind', 'state'] as const) {
          const r = report(inputs, from, to, groupBy, [], true);
          if (!r.total.suppressed) shown.push(rowVector(index, inputs, months, 'total', 'total'));
          for (const row of r.rows) (row.suppressed ? [] : shown).push(rowVector(index, inputs, months, groupBy, row.group));
        }
        const suit = suitabilityReport(inputs, {
          period: { from, to, asOf: END, timeZone: TZ },
          outages: [],
          thresholds,
          suppressSmallGroups: true,
        });
        for (const row of suit.rows) {
          const v = new Float64Array(index.size);
          for (const h of inputs) {
            const d = h.device;
            if (d.kind !== row.kind || d.stateCode !== row.state) continue;
            if (row.municipality !== null && place.get(d.id) !== row.municipality) continue;
            for (const m of months) {
              const at = index.get(`${d.id}|${m.month}`);
              if (at !== undefined) v[at] = 1;
            }
          }
          if (row.suppressed)
            withheld.push({ what: `${row.kind} ${row.state} ${row.municipality ?? ''} ${new Date(from).toISOString()}`, v });
          else shown.push(v);
        }
        // What a state's row has beyond its municipality rows (small municipalities, unknown ones)
        // is never shown alone: when it is fewer than 5 people it must not be solvable either.
        for (const stateRow of suit.rows.filter((r) => r.municipality === null)) {
          const listed = new Set(
            suit.rows.filter((r) => r.kind === stateRow.kind && r.state === stateRow.state).map((r) => r.municipality),
          );
          const rest = inputs.filter(
            (h) => h.device.kind === stateRow.kind && h.device.stateCode === stateRow.state && !listed.has(place.get(h.device.id) ?? null),
          );
          const people = new Set(rest.map((h) => h.device.beneficiaryId));
          if (rest.length === 0 || people.size >= 5) continue;
          const v = new Float64Array(index.size);
          for (const h of rest)
            for (const m of months) {
              const at = index.get(`${h.device.id}|${m.month}`);
              if (at !== undefined) v[at] = 1;
            }
          withheld.push({ what: `rest of ${stateRow.kind} ${stateRow.state} ${new Date(from).toISOString()}`, v });
        }
      }
      const basis: Float64Array[] = [];
      for (const v of shown) addToBasis(basis, v);
      for (const w of withheld) {
        if (w.v.every((x) => x === 0)) continue;
        withheldSeen += 1;
        if (residual(basis, w.v) < 1e-6) findings.push(w.what);
      }
    }
    expect(withheldSeen).toBeGreaterThan(20);
    expect(findings).toEqual([]);
  });
});
