import { monthSlices } from '../../domain/calendar.ts';
import { type MonthPeople, type Withholding, withheldOverPeriod } from '../../domain/reports-suppression.ts';
import type { Repositories } from '../../store/index.ts';

/** One alarm kind (or `total`) of the plan-steps report; a withheld one has no figures. */
export type PlanStepsRow = {
  kind: string;
  suppressed: boolean;
  alarms: number | null;
  steps: number | null;
  skipped: number | null;
  skippedRatio: number | null;
};

export interface PlanStepsReport {
  rows: PlanStepsRow[];
  total: PlanStepsRow;
  suppressedGroups: number;
}

/**
 * Reports (issue 18): plan steps skipped per alarm kind among alarms received in [from, to), with
 * their total. P6: for those who may not see small groups, kinds are withheld by the rule of the
 * other reports (src/domain/reports-suppression.ts): people, not alarms, are counted; a kind of
 * fewer than 5 people is withheld together with at least one more so that the total minus the
 * kinds shown never gives it; the decision is taken per month of the centre and holds for the
 * period; a month with fewer than 5 people in all withholds the whole report. A free function
 * over the repositories so that the API (through the alerts part) and `centinela report
 * plan-steps` give the same figures.
 */
export async function planStepsReport(
  repos: Pick<Repositories, 'actionPlans'>,
  period: { from: number; to: number; timeZone: string },
  suppressSmall: boolean,
): Promise<PlanStepsReport> {
  const { actionPlans } = repos;
  const counts = await actionPlans.skippedByKind(period.from, period.to);
  const withheld: Withholding = { all: false, keys: new Set() };
  if (suppressSmall) {
    const months: MonthPeople[] = [];
    for (const m of monthSlices(period.from, period.to, period.timeZone)) {
      const month: MonthPeople = { fleet: new Set(), groups: new Map() };
      for (const { kind, beneficiaryId } of await actionPlans.peopleByKind(m.from, m.to)) {
        const people = month.groups.get(kind) ?? new Set<string>();
        if (beneficiaryId) {
          people.add(beneficiaryId);
          month.fleet.add(beneficiaryId);
        }
        month.groups.set(kind, people);
      }
      months.push(month);
    }
    Object.assign(withheld, withheldOverPeriod(months));
  }
  const sum = (f: (r: (typeof counts)[number]) => number) => counts.reduce((n, r) => n + f(r), 0);
  const total = { kind: 'total', alarms: sum((r) => r.alarms), steps: sum((r) => r.steps), skipped: sum((r) => r.skipped) };
  const row = (r: { kind: string; alarms: number; steps: number; skipped: number }, hidden: boolean): PlanStepsRow =>
    hidden
      ? { kind: r.kind, suppressed: true, alarms: null, steps: null, skipped: null, skippedRatio: null }
      : {
          kind: r.kind,
          suppressed: false,
          alarms: r.alarms,
          steps: r.steps,
          skipped: r.skipped,
          skippedRatio: r.steps ? r.skipped / r.steps : null,
        };
  const rows = counts.map((r) => row(r, withheld.all || withheld.keys.has(r.kind)));
  return { rows, total: row(total, withheld.all), suppressedGroups: rows.filter((r) => r.suppressed).length };
}
