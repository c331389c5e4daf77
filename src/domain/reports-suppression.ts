import type { GroupBy, ReportDevice } from './reports-types.ts';

/**
 * Small-cell suppression for analysts (P6, docs/architecture.md "Report definitions"), built so
 * that nothing an analyst can combine — any grouping, any period, CSV or JSON — gives back a
 * withheld group:
 *
 * 1. People are counted, never devices: a person with three devices is one person.
 * 2. The Total is the same in every grouping and is shown whenever the period has people enough.
 * 3. Within a grouping, either no group is withheld or at least two groups are, whose people
 *    together reach the threshold (complementary suppression: Total − shown groups then gives
 *    only the sum of several groups that is itself big enough to show).
 * 4. The decision is taken per calendar month of the centre, and a group withheld in any month of
 *    a period is withheld for the whole period: a longer period minus a shorter one never gives
 *    a withheld month. Analysts' periods are whole months, so no finer cut exists.
 * 5. Models nest in kinds: the models of a withheld kind are withheld, and within a shown kind
 *    models follow rule 3, so a kind minus its shown models gives only a big-enough sum.
 * 6. A month with some people but fewer than the threshold in the whole fleet withholds the
 *    whole report (the Total of any period containing it would otherwise give it away).
 */
export const MIN_GROUP_PEOPLE = 5;

export interface PeopleGroup {
  key: string;
  people: ReadonlySet<string>;
}

const unionSize = (groups: readonly PeopleGroup[]): number => {
  const all = new Set<string>();
  for (const g of groups) for (const p of g.people) all.add(p);
  return all.size;
};

/**
 * Rule 3 over one grouping: the small groups, and then the smallest shown groups until at least
 * two are withheld and their people together reach the threshold (or every group is).
 */
export function complementaryWithheld(groups: readonly PeopleGroup[], min = MIN_GROUP_PEOPLE): Set<string> {
  const withheld = groups.filter((g) => g.people.size < min);
  if (withheld.length === 0) return new Set();
  const shown = groups.filter((g) => g.people.size >= min).sort((a, b) => a.people.size - b.people.size || a.key.localeCompare(b.key));
  while ((withheld.length < 2 || unionSize(withheld) < min) && shown.length > 0) {
    const next = shown.shift();
    if (next) withheld.push(next);
  }
  return new Set(withheld.map((g) => g.key));
}

/**
 * Rule 3 over one line of a table whose other lines are shown elsewhere too: the groups already
 * withheld (for another line) count as withheld here, and more of the smallest shown groups
 * follow until at least two are withheld and their people together reach the threshold.
 */
export function complementaryWithheldGiven(
  groups: readonly PeopleGroup[],
  already: ReadonlySet<string>,
  min = MIN_GROUP_PEOPLE,
): Set<string> {
  const withheld = groups.filter((g) => g.people.size < min || already.has(g.key));
  if (withheld.length === 0) return new Set();
  const shown = groups.filter((g) => !withheld.includes(g)).sort((a, b) => a.people.size - b.people.size || a.key.localeCompare(b.key));
  while ((withheld.length < 2 || unionSize(withheld) < min) && shown.length > 0) {
    const next = shown.shift();
    if (next) withheld.push(next);
  }
  return new Set(withheld.map((g) => g.key));
}

/**
 * Rule 3 over a two-way table (kind × state in the suitability report): each row total and each
 * column total is published by another report (reliability by state, by kind), so a single
 * withheld cell in any row or column could be worked out by subtraction. Cells are withheld until
 * every row and every column holds none, or at least two whose people reach the threshold.
 * Keys of the result are `row|column`.
 */
export function twoWayWithheld(
  cells: readonly { row: string; col: string; people: ReadonlySet<string> }[],
  min = MIN_GROUP_PEOPLE,
): Set<string> {
  const key = (c: { row: string; col: string }) => `${c.row}|${c.col}`;
  const withheld = new Set<string>();
  const lines = (of: (c: { row: string; col: string }) => string) => {
    const by = new Map<string, PeopleGroup[]>();
    for (const c of cells) by.set(of(c), [...(by.get(of(c)) ?? []), { key: key(c), people: c.people }]);
    return [...by.values()];
  };
  const rows = lines((c) => c.row);
  const cols = lines((c) => c.col);
  for (let changed = true; changed; ) {
    changed = false;
    for (const line of [...rows, ...cols]) {
      for (const k of complementaryWithheldGiven(line, withheld, min)) {
        if (!withheld.has(k)) {
          withheld.add(k);
          changed = true;
        }
      }
    }
  }
  return withheld;
}

/** Rule 5: models grouped under their kinds. */
export function nestedWithheld(
  parents: readonly PeopleGroup[],
  children: readonly (PeopleGroup & { parent: string })[],
  min = MIN_GROUP_PEOPLE,
): Set<string> {
  const hiddenParents = complementaryWithheld(parents, min);
  const out = new Set<string>();
  const byParent = new Map<string, PeopleGroup[]>();
  for (const c of children) {
    if (hiddenParents.has(c.parent)) out.add(c.key);
    else byParent.set(c.parent, [...(byParent.get(c.parent) ?? []), c]);
  }
  for (const siblings of byParent.values()) for (const k of complementaryWithheld(siblings, min)) out.add(k);
  return out;
}

/** People of one month by group key, for each dimension a report can be grouped by. */
export interface MonthPeople {
  fleet: Set<string>;
  /** Devices of the month without a person still make their group exist (with fewer people). */
  groups: Map<string, Set<string>>;
  /** Child key → parent key (model → kind), when the grouping nests. */
  parentOf?: Map<string, string>;
  parents?: Map<string, Set<string>>;
}

/**
 * Counts a device's person in one month: in the fleet, in the device's group `key` (a device
 * without a person still makes its group exist) and, grouped by model, in its kind (rule 5).
 */
export function countPerson(byMonth: Map<string, MonthPeople>, month: string, d: ReportDevice, key: string, groupBy: GroupBy): void {
  let m = byMonth.get(month);
  if (!m) {
    m = { fleet: new Set(), groups: new Map(), ...(groupBy === 'model' ? { parentOf: new Map(), parents: new Map() } : {}) };
    byMonth.set(month, m);
  }
  const add = (map: Map<string, Set<string>>, k: string) => {
    const set = map.get(k) ?? new Set<string>();
    if (d.beneficiaryId) set.add(d.beneficiaryId);
    map.set(k, set);
  };
  if (d.beneficiaryId) m.fleet.add(d.beneficiaryId);
  add(m.groups, key);
  if (m.parents && m.parentOf) {
    add(m.parents, d.kind);
    m.parentOf.set(key, d.kind);
  }
}

export interface Withholding {
  /** The whole report is withheld: some month had people, but fewer than the threshold. */
  all: boolean;
  keys: Set<string>;
}

/** Rules 4 and 6 over the months of a period. */
export function withheldOverPeriod(months: readonly MonthPeople[], min = MIN_GROUP_PEOPLE): Withholding {
  const keys = new Set<string>();
  for (const m of months) {
    if (m.fleet.size > 0 && m.fleet.size < min) return { all: true, keys };
    const groups = [...m.groups].map(([key, people]) => ({ key, people }));
    const hidden =
      m.parentOf && m.parents
        ? nestedWithheld(
            [...m.parents].map(([key, people]) => ({ key, people })),
            groups.map((g) => ({ ...g, parent: m.parentOf?.get(g.key) ?? '' })),
            min,
          )
        : complementaryWithheld(groups, min);
    for (const k of hidden) keys.add(k);
  }
  return { all: false, keys };
}

/** Every figure of a withheld row becomes null; the row keeps its name and says so. */
export function withhold<R extends { group: string; suppressed: boolean }>(row: R): R {
  const hidden = Object.fromEntries(Object.keys(row).map((k) => [k, null])) as unknown as R;
  return { ...hidden, group: row.group, suppressed: true };
}

/** The rule as the report's help text states it (console and OpenAPI). */
export const SUPPRESSION_RULE =
  'For analysts, a group with fewer than 5 people (people, not devices) is withheld. Within a grouping either no group ' +
  'or at least two groups whose people together reach 5 are withheld, so Total minus the groups shown never gives a ' +
  'withheld group. The Total is the same in every grouping. A group withheld in any calendar month of the period is ' +
  'withheld for the whole period, and analysts get whole months of the centre (from the first of the month to the ' +
  'first of the next); a month with fewer than 5 people in the whole fleet withholds the whole report.';
