// Is a measure worth it here? (issue 19) Per state and municipality, per kind of device: the
// figures that decide it and a verdict in plain words. Analysts get small cells withheld by the
// API, shown as such, never as zeros.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { number, percent } from '../format.js';
import { label, lang, t } from '../i18n.js';

/** @param {number | null | undefined} min */
const minutes = (min) => {
  if (typeof min !== 'number') return t('common.none');
  const total = Math.round(min);
  const hours = Math.floor(total / 60);
  return hours === 0 ? `${total % 60} min` : `${hours} h ${total % 60} min`;
};

/** @param {HTMLElement} el */
export async function renderSuitability(el) {
  const out = h('div', { id: 'suitability' }, h('p', { class: 'muted' }, t('common.loading')));
  replace(el, h('h1', null, t('suitability.title')), h('p', { class: 'muted' }, t('suitability.intro')), out);
  try {
    const report = await api('/api/reports/suitability');
    show(out, report);
  } catch (err) {
    replace(out, h('p', { class: 'error', role: 'alert' }, t('common.error', { message: /** @type {Error} */ (err).message })));
  }
  return undefined;
}

/** @param {HTMLElement} out @param {any} report */
function show(out, report) {
  if (report.noData) {
    replace(out, h('p', { class: 'notice', id: 'suitability-no-data' }, t('reports.noData')));
    return;
  }
  const language = /** @type {'es' | 'en'} */ (lang() === 'en' ? 'en' : 'es');
  const rows = /** @type {any[]} */ (report.rows);
  const kinds = [...new Set(rows.map((r) => r.kind))];
  const verdict = (/** @type {any} */ r) =>
    r.suppressed
      ? h('td', { class: 'suppressed', colspan: '8' }, t('reports.withheld'))
      : [
          h('td', { class: 'num' }, number(r.people, 0)),
          h('td', { class: 'num' }, percent(r.availability)),
          h('td', { class: 'num' }, percent(r.checkInShare)),
          h('td', { class: 'num' }, typeof r.medianRssiDbm === 'number' ? `${r.medianRssiDbm} dBm` : t('common.none')),
          h('td', { class: 'num' }, minutes(r.onSceneP50Min)),
          h('td', { class: 'num' }, minutes(r.onSceneP90Min)),
          h('td', { class: 'num' }, number(r.costPerProtectedDayMxn)),
          h(
            'td',
            { class: `verdict verdict-${r.verdict}` },
            h('strong', null, t(`suitability.verdict.${r.verdict}`)),
            r.reasons.map((/** @type {any} */ x) => h('div', { class: 'small' }, x.text[language])),
          ),
        ];
  const table = (/** @type {string} */ kind) =>
    h(
      'section',
      { class: 'panel', 'aria-labelledby': `suit-${kind}` },
      h('h2', { id: `suit-${kind}` }, label('dkind', kind)),
      h(
        'table',
        { class: 'data', id: `suitability-${kind}` },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ['place', 'people', 'availability', 'checkIns', 'signal', 'helpP50', 'helpP90', 'costPerDay', 'verdict'].map((c) =>
              h('th', { scope: 'col' }, t(`suitability.col.${c}`)),
            ),
          ),
        ),
        h(
          'tbody',
          null,
          rows
            .filter((r) => r.kind === kind)
            .map((r) =>
              h(
                'tr',
                { class: `${r.municipality ? 'municipality' : 'state'}${r.suppressed ? ' is-suppressed' : ''}` },
                h('th', { scope: 'row' }, r.municipality ? `— ${r.municipality}` : label('state', r.state) || r.state),
                verdict(r),
              ),
            ),
        ),
      ),
    );
  const unknown = /** @type {any[]} */ (report.unknownMunicipality ?? []);
  replace(
    out,
    h(
      'p',
      { class: 'muted small' },
      t('reports.centreDays', { zone: report.timeZone, from: report.from.slice(0, 10), to: report.to.slice(0, 10) }),
    ),
    unknown.length
      ? h(
          'p',
          { class: 'notice', id: 'suitability-unknown' },
          unknown.map((u) => t('suitability.unknown', { state: u.state, devices: u.devices })).join(' '),
        )
      : null,
    report.suppressedCells > 0
      ? h(
          'details',
          { class: 'notice', id: 'suitability-rule' },
          h('summary', null, t('reports.suppressedCount', { count: report.suppressedCells })),
          h('p', null, t('reports.rule')),
        )
      : null,
    kinds.map(table),
  );
}
