import { type DeviceFacts, deviceFacts, sumFacts } from './reports-device.ts';
import {
  addFacts,
  addSilentMonth,
  type CostRow,
  costRow,
  type GroupAcc,
  MIN_GROUP_BENEFICIARIES,
  newGroup,
  type ReliabilityRow,
  reliabilityRow,
  suppress,
} from './reports-groups.ts';
import { clip, measure, monthSlices, type Span } from './reports-spans.ts';
import type { DeviceHistory, GroupBy, ReportDevice, ReportPeriod } from './reports-types.ts';

export type ReportKind = 'reliability' | 'cost';

export interface ReportOptions {
  period: ReportPeriod;
  groupBy: GroupBy;
  /** Centinela's own outages: excluded from devices' supervised time. */
  outages: Span[];
  /** Analysts: groups of fewer than 5 beneficiaries are suppressed. */
  suppressSmallGroups: boolean;
}

export interface Report<Row> {
  report: ReportKind;
  from: string;
  to: string;
  groupBy: GroupBy;
  generatedAt: string;
  /** How many groups were withheld because fewer than 5 beneficiaries are in them. */
  suppressedGroups: number;
  rows: Row[];
  total: Row;
}

const keyOf = (d: ReportDevice, groupBy: GroupBy, month: string): string =>
  groupBy === 'kind' ? d.kind : groupBy === 'model' ? d.modelId : groupBy === 'state' ? d.stateCode : month;

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

  constructor(private readonly options: ReportOptions) {
    this.months = monthSlices(options.period.from, Math.min(options.period.to, options.period.asOf));
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
      addFacts(this.group(keyOf(d, groupBy, '')), d.id, d.beneficiaryId, sumFacts(perMonth.map((p) => p.facts)));
    }
    addFacts(this.total, d.id, d.beneficiaryId, sumFacts(perMonth.map((p) => p.facts)));
    for (const { month, facts } of perMonth) {
      addSilentMonth(this.group(keyOf(d, groupBy, month)), d.id, facts);
      addSilentMonth(this.total, d.id, facts);
      if (d.beneficiaryId && d.alarmCapable && facts.inServiceMs > 0) {
        let byMonth = this.beneficiaryKeys.get(d.beneficiaryId);
        if (!byMonth) {
          byMonth = new Map();
          this.beneficiaryKeys.set(d.beneficiaryId, byMonth);
        }
        const entry = byMonth.get(month) ?? { keys: new Set<string>(), alarmDevices: new Set<string>() };
        entry.keys.add(keyOf(d, groupBy, month));
        entry.alarmDevices.add(d.id);
        byMonth.set(month, entry);
      }
    }
  }

  /**
   * Protection gaps of one beneficiary (after all of their devices were added): hours with no
   * working alarm path, credited to every group one of their alarm-capable devices is in.
   */
  addGaps(beneficiaryId: string, gaps: Span[]): void {
    const byMonth = this.beneficiaryKeys.get(beneficiaryId);
    if (!byMonth) return;
    for (const m of this.months) {
      const entry = byMonth.get(m.month);
      if (!entry) continue;
      const ms = measure(clip(gaps, m.from, m.to));
      for (const key of entry.keys) this.group(key).gapMs += ms;
      this.total.gapMs += ms;
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
    this.flagSingleDevice();
    const { period, groupBy, suppressSmallGroups } = this.options;
    const toRow = kind === 'reliability' ? reliabilityRow : costRow;
    let suppressedGroups = 0;
    const shape = (g: GroupAcc) => {
      const row = toRow(g);
      if (!suppressSmallGroups) return row;
      const out = suppress(row, g.beneficiaries.size);
      if (out.suppressed) suppressedGroups += 1;
      return out;
    };
    const groups = [...this.groups.values()].sort((a, b) => a.key.localeCompare(b.key));
    const rows = groups.map(shape);
    let total = shape(this.total);
    if (total.suppressed) suppressedGroups -= 1;
    // Complementary suppression: the total less the groups shown would give the suppressed
    // groups' figures, so the total is withheld too unless those groups together cover enough
    // people to be shown themselves.
    const hiddenPeople = new Set(groups.filter((g) => g.beneficiaries.size < MIN_GROUP_BENEFICIARIES).flatMap((g) => [...g.beneficiaries]));
    if (suppressSmallGroups && !total.suppressed && hiddenPeople.size > 0 && hiddenPeople.size < MIN_GROUP_BENEFICIARIES) {
      total = suppress(total, 0);
    }
    return {
      report: kind,
      from: new Date(period.from).toISOString(),
      to: new Date(period.to).toISOString(),
      groupBy,
      generatedAt: new Date(period.asOf).toISOString(),
      suppressedGroups,
      rows,
      total,
    } as Report<ReliabilityRow> | Report<CostRow>;
  }
}

export type { CostRow, ReliabilityRow } from './reports-groups.ts';
