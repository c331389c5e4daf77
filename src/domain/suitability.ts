import { z } from 'zod';
import { monthSlices } from './calendar.ts';
import { type DeviceFacts, deviceFacts, isTestAlarm, sumFacts } from './reports-device.ts';
import { percentile, type Span } from './reports-spans.ts';
import { complementaryWithheld, MIN_GROUP_PEOPLE, type PeopleGroup, twoWayWithheld } from './reports-suppression.ts';
import type { DeviceHistory, ReportPeriod } from './reports-types.ts';

/**
 * Is a measure worth it here? (issue 19). Per place (municipality, and its state) and device
 * kind: the figures that decide it and a plain-language verdict from thresholds that are data
 * (src/health/suitability/thresholds.json). Pure: no I/O, time passed in.
 */

export const SUITABILITY_FIGURES = [
  'availability',
  'checkInShare',
  'medianRssiDbm',
  'onSceneP50Min',
  'onSceneP90Min',
  'costPerProtectedDayMxn',
] as const;
export type SuitabilityFigure = (typeof SUITABILITY_FIGURES)[number];

export const VERDICTS = ['suitable', 'doubtful', 'unsuitable', 'no_data'] as const;
export type Verdict = (typeof VERDICTS)[number];

const ruleSchema = z
  .strictObject({
    /** A device kind (panic_button, satellite_phone, camera…) or `*` for every kind. */
    kind: z.string().min(1),
    figure: z.enum(SUITABILITY_FIGURES),
    min: z.number().optional(),
    max: z.number().optional(),
    verdict: z.enum(['doubtful', 'unsuitable']),
    /** The reason in each language; `{value}` is the figure in words. */
    says: z.strictObject({ es: z.string().min(1), en: z.string().min(1) }),
  })
  .refine((r) => (r.min === undefined) !== (r.max === undefined), { message: 'a rule has exactly one of min or max' });

export const thresholdsSchema = z.strictObject({
  $comment: z.string().optional(),
  /** Fewer people than this: a cell is withheld for analysts and a municipality rolls up into its state. */
  minPeople: z.number().int().min(MIN_GROUP_PEOPLE),
  rules: z.array(ruleSchema).min(1),
});
export type SuitabilityThresholds = z.infer<typeof thresholdsSchema>;

export interface Reason {
  figure: SuitabilityFigure;
  value: number;
  verdict: 'doubtful' | 'unsuitable';
  text: { es: string; en: string };
}

export interface SuitabilityFigures {
  people: number;
  devices: number;
  availability: number | null;
  /** Heartbeats (for satellite phones: scheduled check-ins) received ÷ expected. */
  checkInShare: number | null;
  medianRssiDbm: number | null;
  /** Non-test alarms. */
  alarms: number;
  onSceneP50Min: number | null;
  onSceneP90Min: number | null;
  costPerProtectedDayMxn: number | null;
}

export interface SuitabilityRow extends Partial<SuitabilityFigures> {
  state: string;
  /** null on a state's row; a municipality's registered spelling otherwise. */
  municipality: string | null;
  kind: string;
  suppressed: boolean;
  verdict: Verdict | null;
  reasons: Reason[];
}

export interface SuitabilityReport {
  report: 'suitability';
  from: string;
  to: string;
  timeZone: string;
  generatedAt: string;
  noData: boolean;
  suppressedCells: number;
  rows: SuitabilityRow[];
  /** Devices whose person has no municipality, or one that looks misspelled: never merged silently. */
  unknownMunicipality: { state: string; devices: number; missing: number; doubtful: string[] }[];
}

/** A device's history and what its heartbeats said of the signal (dBm) in the period. */
export interface SuitabilityInput extends DeviceHistory {
  rssi: number[];
}

// ---- places -------------------------------------------------------------------------------

/** Case, accents and spacing do not make another municipality. */
export const normalizeName = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

/** Levenshtein distance, stopping early past `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(v);
      best = Math.min(best, v);
    }
    if (best > limit) return limit + 1;
    prev = row;
  }
  return prev[b.length] ?? limit + 1;
}

export const UNKNOWN = 'unknown';

/**
 * Each device's municipality, or `unknown`: missing, or within two letters of a municipality of
 * the same state that more people are registered in (a likely misspelling we will not guess at).
 */
export function placesOf(devices: readonly DeviceHistory['device'][]): {
  place: Map<string, string>;
  unknown: Map<string, { devices: number; missing: number; doubtful: Set<string> }>;
} {
  const byState = new Map<string, Map<string, { people: Set<string>; spellings: Map<string, number> }>>();
  for (const d of devices) {
    const raw = d.municipality?.trim();
    if (!raw) continue;
    const names = byState.get(d.stateCode) ?? new Map();
    byState.set(d.stateCode, names);
    const key = normalizeName(raw);
    const entry = names.get(key) ?? { people: new Set<string>(), spellings: new Map<string, number>() };
    entry.people.add(d.beneficiaryId ?? d.id);
    entry.spellings.set(raw, (entry.spellings.get(raw) ?? 0) + 1);
    names.set(key, entry);
  }
  const display = new Map<string, string>();
  const doubtful = new Set<string>();
  for (const [state, names] of byState) {
    const ranked = [...names].sort((a, b) => b[1].people.size - a[1].people.size || a[0].localeCompare(b[0]));
    for (const [i, [key, entry]] of ranked.entries()) {
      const spelling = [...entry.spellings].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? key;
      display.set(`${state}|${key}`, spelling);
      if (key.length >= 5 && ranked.slice(0, i).some(([other]) => editDistance(key, other, 2) <= 2)) doubtful.add(`${state}|${key}`);
    }
  }
  const place = new Map<string, string>();
  const unknown = new Map<string, { devices: number; missing: number; doubtful: Set<string> }>();
  for (const d of devices) {
    const raw = d.municipality?.trim();
    const id = raw ? `${d.stateCode}|${normalizeName(raw)}` : null;
    if (id && !doubtful.has(id)) {
      place.set(d.id, display.get(id) ?? raw ?? UNKNOWN);
      continue;
    }
    place.set(d.id, UNKNOWN);
    const u = unknown.get(d.stateCode) ?? { devices: 0, missing: 0, doubtful: new Set<string>() };
    u.devices += 1;
    if (!raw) u.missing += 1;
    else u.doubtful.add(raw);
    unknown.set(d.stateCode, u);
  }
  return { place, unknown };
}

// ---- figures and verdicts -----------------------------------------------------------------

const MIN = 60_000;
const round = (v: number | null, digits = 4): number | null => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);

/** The figures of a set of devices over the period (their facts already summed per device). */
export function figuresOf(units: readonly { device: DeviceHistory['device']; facts: DeviceFacts; rssi: number[] }[]): SuitabilityFigures {
  let supervised = 0;
  let online = 0;
  let received = 0;
  let expected = 0;
  let supervisedSpend = 0;
  const onScene: number[] = [];
  const rssi: number[] = [];
  const people = new Set<string>();
  let alarms = 0;
  for (const u of units) {
    if (u.device.beneficiaryId) people.add(u.device.beneficiaryId);
    supervised += u.facts.supervisedMs;
    online += u.facts.onlineMs;
    received += u.facts.heartbeatsReceived;
    expected += u.facts.heartbeatsExpected;
    supervisedSpend += u.facts.supervisedSpendMxn;
    rssi.push(...u.rssi);
    for (const a of u.facts.alarms) {
      if (isTestAlarm(a)) continue;
      alarms += 1;
      if (a.onSceneAt !== null) onScene.push(a.onSceneAt - a.receivedAt);
    }
  }
  const onlineDays = online / 86_400_000;
  const p = (q: number) => {
    const v = percentile(onScene, q);
    return v === null ? null : round(v / MIN, 1);
  };
  return {
    people: people.size,
    devices: units.length,
    availability: supervised > 0 ? round(online / supervised) : null,
    checkInShare: expected > 0 ? round(Math.min(1, received / expected)) : null,
    medianRssiDbm: percentile(rssi, 50),
    alarms,
    onSceneP50Min: p(50),
    onSceneP90Min: p(90),
    costPerProtectedDayMxn: onlineDays > 0 ? round(supervisedSpend / onlineDays, 2) : null,
  };
}

/** A figure in words, for the verdict's reason. */
export function figureInWords(figure: SuitabilityFigure, v: number): string {
  if (figure === 'onSceneP50Min' || figure === 'onSceneP90Min') {
    const total = Math.round(v);
    const h = Math.floor(total / 60);
    const m = total % 60;
    return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`;
  }
  if (figure === 'availability' || figure === 'checkInShare') return `${Math.round(v * 100)} %`;
  if (figure === 'costPerProtectedDayMxn') return `MXN ${Math.round(v).toLocaleString('en-US')}`;
  return `${Math.round(v)} dBm`;
}

/** The verdict on one kind of device in one place: the worst broken rule, with every reason. */
export function verdictOf(kind: string, f: SuitabilityFigures, thresholds: SuitabilityThresholds): { verdict: Verdict; reasons: Reason[] } {
  if (f.devices === 0 || f.availability === null) return { verdict: 'no_data', reasons: [] };
  const reasons: Reason[] = [];
  for (const r of thresholds.rules) {
    if (r.kind !== '*' && r.kind !== kind) continue;
    const value = f[r.figure];
    if (value === null) continue;
    const broken = (r.min !== undefined && value < r.min) || (r.max !== undefined && value > r.max);
    if (!broken) continue;
    const words = figureInWords(r.figure, value);
    reasons.push({
      figure: r.figure,
      value,
      verdict: r.verdict,
      text: { es: r.says.es.replaceAll('{value}', words), en: r.says.en.replaceAll('{value}', words) },
    });
  }
  const verdict = reasons.some((r) => r.verdict === 'unsuitable') ? 'unsuitable' : reasons.length > 0 ? 'doubtful' : 'suitable';
  return { verdict, reasons };
}

// ---- the report ---------------------------------------------------------------------------

export interface SuitabilityOptions {
  period: ReportPeriod;
  outages: Span[];
  thresholds: SuitabilityThresholds;
  /** Analysts: small cells withheld (src/domain/reports-suppression.ts), as in the other reports. */
  suppressSmallGroups: boolean;
}

const REST = '~rest';

/**
 * Rows per kind: each state, and each municipality of it with at least `minPeople` people (any
 * kind); smaller municipalities and unknown ones count only in their state's row. For analysts
 * the withholding is that of the other reports, states nested in the kind and municipalities in
 * their state (what a state's row has beyond its shown municipalities counts as one more group).
 */
export function suitabilityReport(inputs: readonly SuitabilityInput[], o: SuitabilityOptions): SuitabilityReport {
  const { period, outages, thresholds } = o;
  const end = Math.min(period.to, period.asOf);
  const months = monthSlices(period.from, end, period.timeZone);
  const { place, unknown } = placesOf(inputs.map((i) => i.device));

  // People per municipality (all kinds, whole period) decide which municipalities stand alone.
  const units = inputs.map((h) => {
    const perMonth = months.map((m) => ({ month: m.month, facts: deviceFacts(h, m, period, outages) }));
    return { device: h.device, rssi: h.rssi, perMonth, facts: sumFacts(perMonth.map((p) => p.facts)) };
  });
  const inPeriod = units.filter((u) => u.facts.inServiceMs > 0 || u.facts.alarms.length > 0);
  const municipalityPeople = new Map<string, Set<string>>();
  for (const u of inPeriod) {
    const m = place.get(u.device.id) ?? UNKNOWN;
    if (m === UNKNOWN) continue;
    const key = `${u.device.stateCode}|${m}`;
    const set = municipalityPeople.get(key) ?? new Set<string>();
    set.add(u.device.beneficiaryId ?? u.device.id);
    municipalityPeople.set(key, set);
  }
  const standsAlone = (state: string, m: string) =>
    m !== UNKNOWN && (municipalityPeople.get(`${state}|${m}`)?.size ?? 0) >= thresholds.minPeople;
  const cellOf = (u: (typeof units)[number]) => {
    const m = place.get(u.device.id) ?? UNKNOWN;
    return standsAlone(u.device.stateCode, m) ? m : REST;
  };

  // Withholding, decided month by month and kept for the whole period (rule 4).
  const withheld = new Set<string>();
  if (o.suppressSmallGroups) {
    for (const month of months) {
      const byKind = new Map<string, { states: Map<string, Set<string>>; places: Map<string, { parent: string; people: Set<string> }> }>();
      for (const u of units) {
        const f = u.perMonth.find((p) => p.month === month.month)?.facts;
        if (!f || (f.inServiceMs <= 0 && f.alarms.length === 0)) continue;
        const k = byKind.get(u.device.kind) ?? { states: new Map(), places: new Map() };
        byKind.set(u.device.kind, k);
        const person = u.device.beneficiaryId;
        const s = k.states.get(u.device.stateCode) ?? new Set<string>();
        if (person) s.add(person);
        k.states.set(u.device.stateCode, s);
        const placeKey = `${u.device.stateCode}|${cellOf(u)}`;
        const p = k.places.get(placeKey) ?? { parent: u.device.stateCode, people: new Set<string>() };
        if (person) p.people.add(person);
        k.places.set(placeKey, p);
      }
      // Kind × state is a two-way table whose row and column totals other reports publish
      // (reliability by kind, by state): withheld so that no cell can be worked out from them.
      const cells = [...byKind].flatMap(([kind, k]) => [...k.states].map(([state, people]) => ({ row: kind, col: state, people })));
      const hiddenCells = twoWayWithheld(cells, thresholds.minPeople);
      for (const c of hiddenCells) withheld.add(c);
      for (const [kind, k] of byKind) {
        // Municipalities nest in their state's cell: all withheld with it, or by the same rule among siblings.
        const byParent = new Map<string, PeopleGroup[]>();
        for (const [key, p] of k.places) {
          if (hiddenCells.has(`${kind}|${p.parent}`)) withheld.add(`${kind}|${key}`);
          else byParent.set(p.parent, [...(byParent.get(p.parent) ?? []), { key, people: p.people }]);
        }
        for (const siblings of byParent.values())
          for (const key of complementaryWithheld(siblings, thresholds.minPeople)) withheld.add(`${kind}|${key}`);
      }
    }
  }

  const rows: SuitabilityRow[] = [];
  const kinds = [...new Set(inPeriod.map((u) => u.device.kind))].sort();
  for (const kind of kinds) {
    const ofKind = inPeriod.filter((u) => u.device.kind === kind);
    const states = [...new Set(ofKind.map((u) => u.device.stateCode))].sort();
    for (const state of states) {
      const ofState = ofKind.filter((u) => u.device.stateCode === state);
      rows.push(row(kind, state, null, ofState, withheld.has(`${kind}|${state}`)));
      const municipalities = [...new Set(ofState.map(cellOf))].filter((m) => m !== REST).sort();
      for (const m of municipalities)
        rows.push(
          row(
            kind,
            state,
            m,
            ofState.filter((u) => cellOf(u) === m),
            withheld.has(`${kind}|${state}|${m}`),
          ),
        );
    }
  }

  function row(kind: string, state: string, municipality: string | null, cell: typeof inPeriod, hidden: boolean): SuitabilityRow {
    if (hidden) return { state, municipality, kind, suppressed: true, verdict: null, reasons: [] };
    const figures = figuresOf(cell);
    return { state, municipality, kind, suppressed: false, ...figures, ...verdictOf(kind, figures, thresholds) };
  }

  return {
    report: 'suitability',
    from: new Date(period.from).toISOString(),
    to: new Date(period.to).toISOString(),
    timeZone: period.timeZone,
    generatedAt: new Date(period.asOf).toISOString(),
    noData: inPeriod.length === 0,
    suppressedCells: rows.filter((r) => r.suppressed).length,
    rows,
    unknownMunicipality: [...unknown]
      .filter(([state]) => inPeriod.some((u) => u.device.stateCode === state))
      .map(([state, u]) => ({ state, devices: u.devices, missing: u.missing, doubtful: [...u.doubtful].sort() }))
      .sort((a, b) => a.state.localeCompare(b.state)),
  };
}

/**
 * One person's measures (the supervisor's case view, personal data): each of their devices'
 * kinds with the same figures and verdicts, never suppressed.
 */
export function personSuitability(
  inputs: readonly SuitabilityInput[],
  o: Omit<SuitabilityOptions, 'suppressSmallGroups'>,
): { kind: string; devices: string[]; figures: SuitabilityFigures; verdict: Verdict; reasons: Reason[] }[] {
  const { period, outages, thresholds } = o;
  const slice = { from: period.from, to: Math.min(period.to, period.asOf) };
  const kinds = [...new Set(inputs.map((i) => i.device.kind))].sort();
  return kinds.map((kind) => {
    const own = inputs
      .filter((i) => i.device.kind === kind)
      .map((h) => ({ device: h.device, rssi: h.rssi, facts: deviceFacts(h, slice, period, outages) }));
    const figures = figuresOf(own);
    return { kind, devices: own.map((u) => u.device.id), figures, ...verdictOf(kind, figures, thresholds) };
  });
}
