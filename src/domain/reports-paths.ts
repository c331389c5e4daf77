import { monthSlices } from './calendar.ts';
import { type DevicePath, PATHS } from './device-paths.ts';
import { inServiceSpans } from './reports-device.ts';
import { DAY_MS, HOUR_MS, intersect, measure, type Span, subtract } from './reports-spans.ts';
import { countPerson, type MonthPeople, withheldOverPeriod, withhold } from './reports-suppression.ts';
import { type GroupBy, type GroupedReportHeading, groupKey, type ReportDevice, type ReportPeriod } from './reports-types.ts';

/**
 * Availability per path of dual-path devices (issue 18 §5, docs/architecture.md "Report
 * definitions"), on the definitions of the reliability report:
 * - a path is *supervised* while it is declared on a device in service (activation to
 *   retirement, minus maintenance windows) and Centinela itself is up (its outages are nobody's);
 * - its *availability* is the time it was up within that, ÷ that time. A path is up from its
 *   declaration and from each time it is heard after a loss, until its own window passes unheard.
 * A device counts only in the figures of the paths it has: a single-path device is not in the
 * satellite figure. Pure: no I/O, time passed in.
 */

export const PATH_STATES = ['up', 'down'] as const;
export type PathIntervalState = (typeof PATH_STATES)[number];

export interface PathInterval {
  path: DevicePath;
  state: PathIntervalState;
  start: number;
  /** null while the path is still in that state. */
  end: number | null;
}

/** What the report reads of one device: its registry facts, maintenance windows and path history. */
export interface PathHistory {
  device: ReportDevice;
  maintenance: Span[];
  intervals: PathInterval[];
}

export interface PathAvailabilityRow {
  /** The device kind, model, Mexican state or month of the centre; `total` for a path's total. */
  group: string;
  path: DevicePath;
  suppressed: boolean;
  beneficiaries: number | null;
  devices: number | null;
  supervisedDays: number | null;
  availability: number | null;
  /** Times the path was lost (a down interval starting within supervised time). */
  lostEpisodes: number | null;
  downHours: number | null;
}

/** Availability per path; its `noData`: no device with a declared path was in service in the period. */
export interface PathAvailabilityReport extends GroupedReportHeading {
  report: 'path-availability';
  rows: PathAvailabilityRow[];
  /** One per path, the same in every grouping. */
  totals: PathAvailabilityRow[];
}

export interface PathReportOptions {
  period: ReportPeriod;
  groupBy: GroupBy;
  outages: Span[];
  /** Analysts: small groups withheld, each path by itself (see `finish`). */
  suppressSmallGroups: boolean;
}

interface PathFacts {
  supervisedMs: number;
  upMs: number;
  lostEpisodes: number;
  /** Declared on the device while it was in service (the device counts in the path's figures). */
  counted: boolean;
}

interface Acc {
  key: string;
  path: DevicePath;
  devices: Set<string>;
  beneficiaries: Set<string>;
  supervisedMs: number;
  upMs: number;
  lostEpisodes: number;
}

const round = (v: number | null, digits = 4): number | null => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);

/** One path of one device over one slice of time. */
export function pathFacts(
  h: PathHistory,
  path: DevicePath,
  slice: { from: number; to: number },
  asOf: number,
  outages: readonly Span[],
): PathFacts {
  const end = Math.min(slice.to, asOf);
  const own = h.intervals.filter((i) => i.path === path);
  const spans = (state?: PathIntervalState): Span[] =>
    own.filter((i) => state === undefined || i.state === state).map((i) => [i.start, i.end ?? asOf] as const);
  const declaredInService = intersect(inServiceSpans(h, slice.from, end), spans());
  const supervised = subtract(declaredInService, outages);
  let lostEpisodes = 0;
  for (const i of own)
    if (i.state === 'down' && i.start >= slice.from && i.start < end && measure(intersect([[i.start, i.start + 1]], supervised)) > 0)
      lostEpisodes += 1;
  return {
    supervisedMs: measure(supervised),
    upMs: measure(intersect(spans('up'), supervised)),
    lostEpisodes,
    counted: measure(declaredInService) > 0,
  };
}

/**
 * Builds the report device by device (the shell feeds it in chunks). Each path is a grouping of
 * its own with its own total: for analysts, small groups are withheld path by path with the rules
 * of the other reports (people counted, not devices; no group or at least two whose people reach
 * 5; decided per month of the centre and kept for the period; models nested in kinds; a month
 * with too few people on a path withholds that path's total and rows). No figure across paths
 * is published for a group, here or in another report, so no subtraction crosses paths.
 */
export class PathReportBuilder {
  private readonly groups = new Map<string, Acc>();
  private readonly totals = new Map<string, Acc>();
  private readonly months: { month: string; from: number; to: number }[];
  /** Path → month → people per group (and per kind, when grouped by model). */
  private readonly people = new Map<DevicePath, Map<string, MonthPeople>>();

  constructor(private readonly options: PathReportOptions) {
    const { period } = options;
    this.months = monthSlices(period.from, Math.min(period.to, period.asOf), period.timeZone);
  }

  private acc(map: Map<string, Acc>, key: string, path: DevicePath): Acc {
    const id = `${key}\u0000${path}`;
    let a = map.get(id);
    if (!a) {
      a = { key, path, devices: new Set(), beneficiaries: new Set(), supervisedMs: 0, upMs: 0, lostEpisodes: 0 };
      map.set(id, a);
    }
    return a;
  }

  private peopleOf(path: DevicePath): Map<string, MonthPeople> {
    let byMonth = this.people.get(path);
    if (!byMonth) {
      byMonth = new Map();
      this.people.set(path, byMonth);
    }
    return byMonth;
  }

  addDevice(h: PathHistory): void {
    const { period, groupBy, outages } = this.options;
    const d = h.device;
    const paths = PATHS.filter((p) => h.intervals.some((i) => i.path === p));
    for (const path of paths) {
      for (const m of this.months) {
        const f = pathFacts(h, path, m, period.asOf, outages);
        if (!f.counted) continue;
        const key = groupKey(d, groupBy, m.month);
        countPerson(this.peopleOf(path), m.month, d, key, groupBy);
        for (const a of [this.acc(this.groups, key, path), this.acc(this.totals, 'total', path)]) {
          a.devices.add(d.id);
          if (d.beneficiaryId) a.beneficiaries.add(d.beneficiaryId);
          a.supervisedMs += f.supervisedMs;
          a.upMs += f.upMs;
          a.lostEpisodes += f.lostEpisodes;
        }
      }
    }
  }

  finish(): PathAvailabilityReport {
    const { period, groupBy, suppressSmallGroups } = this.options;
    const withheld = new Map<DevicePath, { all: boolean; keys: Set<string> }>();
    if (suppressSmallGroups) for (const [path, byMonth] of this.people) withheld.set(path, withheldOverPeriod([...byMonth.values()]));
    const hidden = (a: Acc, total: boolean) => {
      const w = withheld.get(a.path);
      return w !== undefined && (w.all || (!total && w.keys.has(a.key)));
    };
    const show = (a: Acc, total: boolean): PathAvailabilityRow => {
      const row: PathAvailabilityRow = {
        group: a.key,
        path: a.path,
        suppressed: false,
        beneficiaries: a.beneficiaries.size,
        devices: a.devices.size,
        supervisedDays: round(a.supervisedMs / DAY_MS),
        availability: round(a.supervisedMs > 0 ? a.upMs / a.supervisedMs : null),
        lostEpisodes: a.lostEpisodes,
        downHours: round((a.supervisedMs - a.upMs) / HOUR_MS),
      };
      return hidden(a, total) ? { ...withhold(row), path: a.path } : row;
    };
    const order = (a: Acc, b: Acc) => a.key.localeCompare(b.key) || PATHS.indexOf(a.path) - PATHS.indexOf(b.path);
    const rows = [...this.groups.values()].sort(order).map((a) => show(a, false));
    const totals = [...this.totals.values()].sort(order).map((a) => show(a, true));
    return {
      report: 'path-availability',
      from: new Date(period.from).toISOString(),
      to: new Date(period.to).toISOString(),
      groupBy,
      generatedAt: new Date(period.asOf).toISOString(),
      timeZone: period.timeZone,
      suppressedGroups: rows.filter((r) => r.suppressed).length,
      noData: this.totals.size === 0,
      rows,
      totals,
    };
  }
}
