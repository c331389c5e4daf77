// Analysts' reports: reliability, cost-effectiveness and availability per path (dual-path devices,
// issue 18) by device kind, model, Mexican state or month, and action-plan steps skipped per alarm
// kind (issue 18, its only grouping), as a chart and a table, with CSV download. Groups of fewer
// than 5 people come back suppressed from the API and are shown as such, never as zeros.
import { api } from '../api.js';
import { barChart } from '../charts.js';
import { h, replace } from '../dom.js';
import { dateTime, number, percent } from '../format.js';
import { label, locale, t } from '../i18n.js';

const COLUMNS = {
  reliability: [
    'beneficiaries',
    'devices',
    'inServiceDays',
    'availability',
    'heartbeatDelivery',
    'offlineEpisodes',
    'mttrHours',
    'mtbfHours',
    'ackP50S',
    'ackP90S',
    'dispatchP50S',
    'dispatchP90S',
    'onSceneP50S',
    'onSceneP90S',
    'shareAckedWithin30s',
    'shareAckedWithin60s',
    'shareOnSceneWithin30min',
    'nonTestAlarms',
    'falseAlarmRatio',
    'testPassRatio',
    'installLeadTimeDaysMean',
    'installLeadTimeDaysP50',
    'protectionGapHours',
    'singleDeviceBeneficiaries',
  ],
  cost: [
    'beneficiaries',
    'devices',
    'inServiceDays',
    'spendMxn',
    'availableDays',
    'costPerProtectedDayMxn',
    'wastedSpendMxn',
    'genuineAlarmsAcknowledged',
    'costPerAnsweredAlarmMxn',
    'billedButSilentDevices',
    'billedButSilentSpendMxn',
  ],
  // One row per group and path; each path has its own total (tfoot).
  'path-availability': ['beneficiaries', 'devices', 'supervisedDays', 'availability', 'lostEpisodes', 'downHours'],
  // One row per alarm kind (`kind`, not `group`): GET /api/reports/plan-steps has no other grouping.
  'plan-steps': ['alarms', 'steps', 'skipped', 'skippedRatio'],
};
const KINDS = /** @type {const} */ (['reliability', 'cost', 'path-availability', 'plan-steps']);
/** Reports that come in one grouping only: the group-by control is disabled for them. */
const FIXED_GROUPING = new Set(['plan-steps']);
const PATH_COLORS = { cellular: '#79c0ff', satellite: '#ffa657', wired: '#7ee787' };
const RATIOS = new Set([
  'availability',
  'heartbeatDelivery',
  'shareAckedWithin30s',
  'shareAckedWithin60s',
  'shareOnSceneWithin30min',
  'falseAlarmRatio',
  'testPassRatio',
  'skippedRatio',
]);
const CHART = {
  reliability: {
    series: [
      ['availability', '#7ee787'],
      ['heartbeatDelivery', '#79c0ff'],
      ['shareAckedWithin60s', '#ffa657'],
    ],
    percent: true,
  },
  cost: {
    series: [
      // Spend beside the part of it wasted on unavailable devices: same unit, same scale.
      ['spendMxn', '#d2a8ff'],
      ['wastedSpendMxn', '#ff7b72'],
    ],
    percent: false,
  },
  'path-availability': { series: [], percent: true },
  'plan-steps': { series: [['skippedRatio', '#ffa657']], percent: true },
};

const monthStart = (/** @type {Date} */ d) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;

/** @param {HTMLElement} el */
export async function renderReports(el) {
  const now = new Date();
  const from = monthStart(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 5, 1)));
  const to = monthStart(now);
  const out = h('div', { id: 'report-output' });
  const form = h(
    'form',
    {
      class: 'filters',
      id: 'report-form',
      onsubmit: (/** @type {SubmitEvent} */ e) => {
        e.preventDefault();
        run();
      },
    },
    field(
      'report-kind',
      t('reports.kind'),
      h(
        'select',
        { id: 'report-kind', name: 'kind' },
        KINDS.map((k) => h('option', { value: k }, t(`reports.${k}`))),
      ),
    ),
    field(
      'report-group',
      t('reports.groupBy'),
      h(
        'select',
        { id: 'report-group', name: 'groupBy', 'aria-describedby': 'report-group-note' },
        ['kind', 'state', 'month', 'model'].map((g) => h('option', { value: g }, t(`group.${g}`))),
      ),
      h('p', { class: 'muted small', id: 'report-group-note', hidden: true }, t('reports.planStepsGrouping')),
    ),
    field('report-from', t('reports.from'), h('input', { id: 'report-from', name: 'from', type: 'month', value: from, required: true })),
    field('report-to', t('reports.to'), h('input', { id: 'report-to', name: 'to', type: 'month', value: to, required: true })),
    h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, t('reports.run'))),
  );
  const run = async () => {
    const data = new FormData(/** @type {HTMLFormElement} */ (form));
    const kind = /** @type {ReportKind} */ (String(data.get('kind')));
    const fixed = FIXED_GROUPING.has(kind);
    // A disabled select is not in the form's data: the fixed grouping is the alarm kind.
    const groupBy = fixed ? 'kind' : String(data.get('groupBy'));
    const [fy, fm] = String(data.get('from')).split('-').map(Number);
    const [ty, tm] = String(data.get('to')).split('-').map(Number);
    // The "to" month is included: the period ends at the start of the following month. Dates
    // (not instants) so the server cuts them on the centre's days, not at 00:00 UTC.
    const day1 = (/** @type {number} */ y, /** @type {number} */ m) => {
      const d = new Date(Date.UTC(y, m - 1, 1));
      return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-01`;
    };
    const query = new URLSearchParams({
      from: day1(fy ?? 2026, fm ?? 1),
      to: day1(ty ?? 2026, (tm ?? 1) + 1),
      ...(fixed ? {} : { groupBy }),
    });
    replace(out, h('p', { class: 'muted' }, t('common.loading')));
    try {
      const report = await api(`/api/reports/${kind}?${query}`);
      await show(out, kind, groupBy, report, `/api/reports/${kind}?${query}&format=csv`);
    } catch (err) {
      replace(out, h('p', { class: 'error', role: 'alert' }, t('common.error', { message: /** @type {Error} */ (err).message })));
    }
  };
  // The plan-steps report has one grouping only (alarm kind): the group-by control is disabled
  // for it and a note says why, rather than offering groupings the endpoint ignores.
  const kindSelect = /** @type {HTMLSelectElement} */ (form.querySelector('#report-kind'));
  const groupSelect = /** @type {HTMLSelectElement} */ (form.querySelector('#report-group'));
  const groupNote = /** @type {HTMLElement} */ (form.querySelector('#report-group-note'));
  kindSelect.addEventListener('change', () => {
    const fixed = FIXED_GROUPING.has(kindSelect.value);
    groupSelect.disabled = fixed;
    groupNote.hidden = !fixed;
  });
  replace(el, h('h1', null, t('reports.title')), form, out);
  await run();
  return undefined;
}

/** @typedef {'reliability' | 'cost' | 'path-availability' | 'plan-steps'} ReportKind */

/** @param {string} id @param {string} text @param {HTMLElement} control @param {...HTMLElement} more */
const field = (id, text, control, ...more) => h('div', { class: 'field' }, h('label', { for: id }, text), control, ...more);

/** A group's name as people read it: the kind or the month in words, the state by its code. */
function groupName(/** @type {string} */ groupBy, /** @type {string} */ group) {
  if (groupBy === 'alarmKind') return label('kind', group);
  if (groupBy === 'kind') return label('dkind', group);
  const month = /^(\d{4})-(\d{2})$/.exec(group);
  if (groupBy === 'month' && month)
    return new Intl.DateTimeFormat(locale(), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1)),
    );
  return group;
}

/** @param {string} col @param {unknown} v */
function cell(col, v) {
  if (typeof v !== 'number') return t('common.none');
  return RATIOS.has(col) ? percent(v) : number(v);
}

/**
 * @param {HTMLElement} out
 * @param {ReportKind} kind
 * @param {string} groupBy
 * @param {any} report
 * @param {string} csvHref
 */
async function show(out, kind, groupBy, report, csvHref) {
  const rows = /** @type {any[]} */ (report.rows ?? []);
  const cols = COLUMNS[kind];
  const chartBox = h('div', { class: 'chart', id: 'report-chart' });
  const visible = rows.filter((r) => !r.suppressed);
  const byPath = kind === 'path-availability';
  const byAlarmKind = kind === 'plan-steps';
  // Rows of the plan-steps report name their alarm kind in `kind`; the others their group in `group`.
  const nameOf = (/** @type {any} */ r) => (byAlarmKind ? groupName('alarmKind', r.kind) : groupName(groupBy, r.group));
  const fileName = byAlarmKind ? `${kind}.csv` : `${kind}-${groupBy}.csv`;
  /** @type {any[]} */
  const totals = byPath ? (report.totals ?? []) : report.total ? [report.total] : [];
  const suppressedNote =
    report.suppressedGroups > 0 || totals.some((r) => r.suppressed)
      ? h(
          'div',
          { class: 'notice', id: 'suppressed-note' },
          h('p', null, t('reports.suppressedCount', { count: report.suppressedGroups })),
          h('details', { id: 'suppression-rule' }, h('summary', null, t('reports.ruleTitle')), h('p', null, t('reports.rule'))),
        )
      : null;
  const noData = report.noData
    ? h('p', { class: 'notice', id: 'report-no-data' }, t(byPath ? 'reports.noPathData' : 'reports.noData'))
    : null;
  const pathsNote = byPath ? h('p', { class: 'muted small', id: 'report-paths-note' }, t('reports.pathsNote')) : null;
  const tableRow = (/** @type {any} */ r, /** @type {boolean} */ total) =>
    h(
      'tr',
      { class: `${r.suppressed ? 'is-suppressed' : ''}${total ? ' total' : ''}` },
      h('th', { scope: 'row' }, total ? t('reports.total') : nameOf(r)),
      byPath ? h('td', { class: 'path' }, t(`path.${r.path}`)) : null,
      r.suppressed
        ? h('td', { colspan: String(cols.length), class: 'suppressed' }, t('reports.withheld'))
        : cols.map((c) => h('td', { class: 'num' }, cell(c, r[c]))),
    );
  replace(
    out,
    h(
      'div',
      { class: 'report-head' },
      h('p', { class: 'muted small' }, t('reports.generated', { at: dateTime(report.generatedAt) })),
      report.timeZone
        ? h(
            'p',
            { class: 'muted small', id: 'report-days' },
            t('reports.centreDays', { zone: report.timeZone, from: dateTime(report.from), to: dateTime(report.to) }),
          )
        : null,
      h('a', { href: csvHref, download: fileName, class: 'button', id: 'report-csv' }, t('reports.csv')),
    ),
    pathsNote,
    noData,
    suppressedNote,
    h('section', { class: 'panel', 'aria-labelledby': 'chart-title' }, h('h2', { id: 'chart-title' }, t('reports.chart')), chartBox),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'table-title' },
      h('h2', { id: 'table-title' }, t('reports.table')),
      rows.length === 0
        ? h('p', { class: 'empty' }, t('reports.empty'))
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'grid compact report', id: 'report-table' },
              h(
                'thead',
                null,
                h(
                  'tr',
                  null,
                  h('th', { scope: 'col' }, t(byAlarmKind ? 'col.alarmKind' : 'col.group')),
                  byPath ? h('th', { scope: 'col' }, t('col.path')) : null,
                  cols.map((c) => h('th', { scope: 'col' }, t(`col.${c}`))),
                ),
              ),
              h(
                'tbody',
                null,
                rows.map((r) => tableRow(r, false)),
              ),
              totals.length > 0
                ? h(
                    'tfoot',
                    null,
                    totals.map((r) => tableRow(r, true)),
                  )
                : null,
            ),
          ),
    ),
  );
  if (byPath) {
    // Availability of each path, side by side for each group shown.
    const groups = [...new Set(visible.map((r) => r.group))];
    const paths = /** @type {('cellular' | 'satellite' | 'wired')[]} */ ([...new Set(visible.map((r) => r.path))]);
    await barChart(chartBox, {
      title: t('reports.path-availability'),
      labels: groups.map((g) => groupName(groupBy, g)),
      series: paths.map((p) => ({ label: t(`path.${p}`), color: PATH_COLORS[p] ?? '#d2a8ff' })),
      ys: paths.map((p) =>
        groups.map((g) => {
          const r = visible.find((x) => x.group === g && x.path === p);
          return typeof r?.availability === 'number' ? r.availability : null;
        }),
      ),
      percent: true,
    });
    return;
  }
  const spec = CHART[kind];
  await barChart(chartBox, {
    title: t(`reports.${kind}`),
    labels: visible.map(nameOf),
    series: spec.series.map(([c, color]) => ({ label: t(`col.${c}`), color: /** @type {string} */ (color) })),
    ys: spec.series.map(([c]) =>
      visible.map((r) => (typeof r[/** @type {string} */ (c)] === 'number' ? r[/** @type {string} */ (c)] : null)),
    ),
    percent: spec.percent,
  });
}
