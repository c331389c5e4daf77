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

const failed = (/** @type {unknown} */ err) =>
  h('p', { class: 'error', role: 'alert' }, t('common.error', { message: /** @type {Error} */ (err).message }));

/**
 * @param {HTMLElement} el
 * @param {Record<string, string>} _params
 * @param {{ userId: string, role: string }} session
 */
export async function renderSuitability(el, _params, session) {
  const out = h('div', { id: 'suitability' }, h('p', { class: 'muted' }, t('common.loading')));
  // Supervisors also review cases: one person's measures over 90 days, and a suggestion kept on the review.
  const cases =
    session?.role === 'supervisor' ? h('section', { class: 'panel', id: 'suitability-cases', 'aria-labelledby': 'cases-title' }) : null;
  replace(el, h('h1', null, t('suitability.title')), h('p', { class: 'muted' }, t('suitability.intro')), cases, out);
  if (cases) await showCases(cases);
  try {
    const report = await api('/api/reports/suitability');
    show(out, report);
  } catch (err) {
    replace(out, failed(err));
  }
  return undefined;
}

/** @param {HTMLElement} box */
async function showCases(box) {
  const title = h('h2', { id: 'cases-title' }, t('suitability.cases'));
  try {
    const reviews = /** @type {any[]} */ (await api('/api/case-reviews?state=open')).filter((r) => r.beneficiaryId);
    const detail = h('div', { id: 'suitability-case' });
    replace(
      box,
      title,
      reviews.length === 0
        ? h('p', { class: 'empty' }, t('suitability.noCases'))
        : h(
            'ul',
            { class: 'plain' },
            reviews.map((r) =>
              h(
                'li',
                null,
                h(
                  'button',
                  { type: 'button', class: 'link', 'data-review': r.id, onclick: () => showPerson(detail, r) },
                  t('suitability.caseButton', { reason: r.reason, opened: new Date(r.openedAt).toLocaleDateString() }),
                ),
              ),
            ),
          ),
      detail,
    );
  } catch (err) {
    replace(box, title, failed(err));
  }
}

/** @param {HTMLElement} box @param {any} review */
async function showPerson(box, review) {
  replace(box, h('p', { class: 'muted' }, t('common.loading')));
  const language = /** @type {'es' | 'en'} */ (lang() === 'en' ? 'en' : 'es');
  try {
    const view = await api(`/api/beneficiaries/${encodeURIComponent(review.beneficiaryId)}/suitability`);
    const note = h('textarea', { id: 'suggestion-text', name: 'suggestion', rows: '3', required: true, minlength: '3', maxlength: '2000' });
    const status = h('p', { class: 'muted small', role: 'status' });
    const form = h(
      'form',
      {
        id: 'suggestion-form',
        onsubmit: async (/** @type {Event} */ e) => {
          e.preventDefault();
          try {
            await api(`/api/case-reviews/${encodeURIComponent(review.id)}/suitability-suggestion`, {
              method: 'POST',
              body: { suggestion: /** @type {HTMLTextAreaElement} */ (note).value },
            });
            replace(status, t('suitability.suggestionSaved'));
          } catch (err) {
            replace(status, failed(err));
          }
        },
      },
      h('label', { for: 'suggestion-text' }, t('suitability.suggestion')),
      note,
      h('button', { type: 'submit', class: 'primary' }, t('suitability.saveSuggestion')),
      status,
    );
    replace(
      box,
      h('h3', null, t('suitability.person', { alias: view.alias, from: view.from.slice(0, 10), to: view.to.slice(0, 10) })),
      h(
        'ul',
        { class: 'plain', id: 'person-measures' },
        /** @type {any[]} */ (view.measures).map((m) =>
          h(
            'li',
            { class: `verdict verdict-${m.verdict}` },
            h('strong', null, `${label('dkind', m.kind)}: ${t(`suitability.verdict.${m.verdict}`)}`),
            ` — ${t('suitability.col.availability')} ${percent(m.figures.availability)}, ${t('suitability.col.checkIns')} ${percent(m.figures.checkInShare)}, ${t('suitability.col.helpP50')} ${minutes(m.figures.onSceneP50Min)}`,
            m.reasons.map((/** @type {any} */ x) => h('div', { class: 'small' }, x.text[language])),
          ),
        ),
      ),
      /** @type {any[]} */ (view.suggestions).map((x) =>
        h('p', { class: 'muted small' }, t('suitability.earlier', { text: x.suggestion })),
      ),
      form,
    );
  } catch (err) {
    replace(box, failed(err));
  }
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
