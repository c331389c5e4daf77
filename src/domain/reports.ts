import { monthSlices } from './calendar.ts';
import { type DeviceFacts, deviceFacts, inServiceSpans, sumFacts } from './reports-device.ts';
import {
  addFacts,
  addSilentMonth,
  type CostRow,
  costRow,
  type GroupAcc,
  newGroup,
  type ReliabilityRow,
  reliabilityRow,
} from './reports-groups.ts';
import { clip, measure, normalize, type Span, subtract } from './reports-spans.ts';
import { countPerson, type MonthPeople, withheldOverPeriod, withhold } from './reports-suppression.ts';
import { type DeviceHistory, type GroupBy, type GroupedReportHeading, groupKey, type ReportPeriod } from './reports-types.ts';

export type ReportKind = 'reliability' | 'cost';

export interface ReportOptions {
  period: ReportPeriod;
  groupBy: GroupBy;
  /** Centinela's own outages: excluded from devices' supervised time. */
  outages: Span[];
  /** Analysts: small groups are withheld by the rule of src/domain/reports-suppression.ts. */
  suppressSmallGroups: boolean;
}

export interface Report<Row> extends GroupedReportHeading {
  report: ReportKind;
  rows: Row[];
  total: Row;
}

/** What a protection gap is computed from: one alarm-capable device of a person. */
interface PathSpans {
  supervised: Span[];
  offline: Span[];
}

/**
 * Builds a report device by device, so the shell can feed it in chunks and never hold a year of
 * history for the whole fleet at once. Pure: no I/O, time passed in.
 */
export class ReportBuilder {
  private readonly groups = new Map<string, GroupAcc>();
  private readonly total = newGroup('total');
  private readonly months: { month: string; from: number; to: number }[];
  /** Beneficiary → (month → group keys and alarm-capable devices), for gap attribution. */
  private readonly beneficiaryKeys = new Map<string, Map<string, { keys: Set<string>; alarmDevices: Set<string> }>>();
  /** Beneficiary → their alarm-capable devices' supervised and offline time. */
  private readonly paths = new Map<string, PathSpans[]>();
  /** Month → people per group key (and per kind, when grouped by model), for suppression. */
  private readonly people = new Map<string, MonthPeople>();

  constructor(private readonly options: ReportOptions) {
    const { period } = options;
    this.months = monthSlices(period.from, Math.min(period.to, period.asOf), period.timeZone);
  }

  private group(key: string): GroupAcc {
    let g = this.groups.get(key);
    if (!g) {
      g = newGroup(key);
      this.groups.set(key, g);
    }
    return g;
  }

  addDevice(h: DeviceHistory): void {
    const { period, groupBy, outages } = this.options;
    const d = h.device;
    const perMonth: { month: string; facts: DeviceFacts }[] = this.months.map((m) => ({
      month: m.month,
      facts: deviceFacts(h, m, period, outages),
    }));
    if (groupBy === 'month') {
      for (const { month, facts } of perMonth) addFacts(this.group(month), d.id, d.beneficiaryId, facts);
    } else {
      addFacts(this.group(groupKey(d, groupBy, '')), d.id, d.beneficiaryId, sumFacts(perMonth.map((p) => p.facts)));
    }
    addFacts(this.total, d.id, d.beneficiaryId, sumFacts(perMonth.map((p) => p.facts)));
    for (const { month, facts } of perMonth) {
      const counted = facts.inServiceMs > 0 || facts.alarms.length > 0 || facts.installLeadMs !== null;
      if (counted) countPerson(this.people, month, d, groupKey(d, groupBy, month), groupBy);
      addSilentMonth(this.group(groupKey(d, groupBy, month)), d.id, facts);
      addSilentMonth(this.total, d.id, facts);
      if (d.beneficiaryId && d.alarmCapable && facts.inServiceMs > 0) {
        let byMonth = this.beneficiaryKeys.get(d.beneficiaryId);
        if (!byMonth) {
          byMonth = new Map();
          this.beneficiaryKeys.set(d.beneficiaryId, byMonth);
        }
        const entry = byMonth.get(month) ?? { keys: new Set<string>(), alarmDevices: new Set<string>() };
        entry.keys.add(groupKey(d, groupBy, month));
        entry.alarmDevices.add(d.id);
        byMonth.set(month, entry);
      }
    }
    if (d.beneficiaryId && d.alarmCapable) {
      const end = Math.min(period.to, period.asOf);
      const supervised = subtract(inServiceSpans(h, period.from, end), outages);
      const offline = h.intervals.filter((i) => i.state === 'offline').map((i) => [i.start, i.end ?? period.asOf] as const);
      const list = this.paths.get(d.beneficiaryId) ?? [];
      list.push({ supervised, offline: clip(offline, period.from, end) });
      this.paths.set(d.beneficiaryId, list);
    }
  }

  /**
   * Protection gaps from the recorded intervals: the time in which a person had an alarm-capable
   * device in service and every such device was offline (no working alarm path), outside the
   * centre's own outages. Credited to every group one of their alarm-capable devices is in.
   */
  private addGaps(): void {
    for (const [beneficiaryId, paths] of this.paths) {
      const covered = normalize(paths.flatMap((p) => p.supervised));
      const working = normalize(paths.flatMap((p) => subtract(p.supervised, p.offline)));
      const gaps = subtract(covered, working);
      if (gaps.length === 0) continue;
      const byMonth = this.beneficiaryKeys.get(beneficiaryId);
      if (!byMonth) continue;
      for (const m of this.months) {
        const entry = byMonth.get(m.month);
        if (!entry) continue;
        const ms = measure(clip(gaps, m.from, m.to));
        for (const key of entry.keys) this.group(key).gapMs += ms;
        this.total.gapMs += ms;
      }
    }
  }

  /** Beneficiaries relying on a single alarm-capable device, flagged per group. */
  private flagSingleDevice(): void {
    for (const [beneficiaryId, byMonth] of this.beneficiaryKeys) {
      const all = new Set<string>();
      for (const e of byMonth.values()) for (const id of e.alarmDevices) all.add(id);
      if (all.size !== 1) continue;
      this.total.singleDeviceBeneficiaries.add(beneficiaryId);
      for (const e of byMonth.values()) for (const key of e.keys) this.group(key).singleDeviceBeneficiaries.add(beneficiaryId);
    }
  }

  finish(kind: 'reliability'): Report<ReliabilityRow>;
  finish(kind: 'cost'): Report<CostRow>;
  finish(kind: ReportKind): Report<ReliabilityRow> | Report<CostRow> {
    this.addGaps();
    this.flagSingleDevice();
    const { period, groupBy, suppressSmallGroups } = this.options;
    const toRow: (g: GroupAcc) => ReliabilityRow | CostRow = kind === 'reliability' ? reliabilityRow : costRow;
    const noData = this.total.devices.size === 0;
    const withheld =
      suppressSmallGroups && !noData
        ? withheldOverPeriod(this.months.flatMap((m) => this.people.get(m.month) ?? []))
        : { all: false, keys: new Set<string>() };
    const groups = [...this.groups.values()].filter((g) => g.devices.size > 0).sort((a, b) => a.key.localeCompare(b.key));
    const rows = groups.map((g) => (withheld.all || withheld.keys.has(g.key) ? withhold(toRow(g)) : toRow(g)));
    const total = withheld.all ? withhold(toRow(this.total)) : toRow(this.total);
    return {
      report: kind,
      from: new Date(period.from).toISOString(),
      to: new Date(period.to).toISOString(),
      groupBy,
      timeZone: period.timeZone,
      generatedAt: new Date(period.asOf).toISOString(),
      suppressedGroups: rows.filter((r) => r.suppressed).length,
      noData,
      rows,
      total,
    } as Report<ReliabilityRow> | Report<CostRow>;
  }
}

export type { CostRow, ReliabilityRow } from './reports-groups.ts';
