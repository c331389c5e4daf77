// Alarm history and search: by alias, device, kind, date and outcome, newest first. Operators
// and supervisors only (the API enforces it); the address carries no search terms (P6).
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { seg } from '../dom.js';
import { dateTime } from '../format.js';
import { html, render } from '../html.js';
import { label, t } from '../i18n.js';

const KINDS = ['panic', 'duress', 'sos', 'intrusion', 'tamper', 'motion', 'fall', 'test', 'unknown'];
const OUTCOMES = ['genuine', 'false_alarm', 'test', 'technical'];

/** @typedef {{ id: string, deviceId: string, alias: string | null, kind: string, severity: string, state: string, test: boolean, receivedAt: string, outcome: string | null }} Item */

/** A day picked in the operator's time zone, as the instant it starts. */
const dayStart = (/** @type {string} */ day, plusDays = 0) => {
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
};

/** @param {Record<string, string>} f @param {number} offset */
function query(f, offset) {
  const q = new URLSearchParams();
  for (const key of ['alias', 'deviceId', 'kind', 'outcome', 'test']) if (f[key]) q.set(key, f[key].trim());
  if (f.from) q.set('from', dayStart(f.from));
  if (f.to) q.set('to', dayStart(f.to, 1));
  q.set('limit', '50');
  q.set('offset', String(offset));
  return q.toString();
}

function History() {
  const [filters, setFilters] = useState(/** @type {Record<string, string>} */ ({}));
  const [items, setItems] = useState(/** @type {Item[] | null} */ (null));
  const [more, setMore] = useState(false);
  const [error, setError] = useState('');
  const set = (/** @type {string} */ key) => (/** @type {any} */ e) => setFilters({ ...filters, [key]: e.currentTarget.value });

  const search = async (/** @type {number} */ offset) => {
    setError('');
    try {
      /** @type {{ items: Item[], more: boolean }} */
      const page = await api(`/api/alarms/history?${query(filters, offset)}`);
      setItems(offset === 0 ? page.items : [...(items ?? []), ...page.items]);
      setMore(page.more);
    } catch (err) {
      setError(t('common.error', { message: /** @type {Error} */ (err).message }));
    }
  };
  const submit = (/** @type {Event} */ e) => {
    e.preventDefault();
    search(0);
  };

  const field = (/** @type {string} */ key, /** @type {any} */ control) =>
    html`<div class="field"><label for=${`history-${key}`}>${t(`history.${key}`)}</label>${control}</div>`;
  const select = (/** @type {string} */ key, /** @type {string[]} */ values, /** @type {(v: string) => string} */ text) =>
    html`<select id=${`history-${key}`} value=${filters[key] ?? ''} onChange=${set(key)}>
      <option value="">${t('common.all')}</option>
      ${values.map((v) => html`<option value=${v}>${text(v)}</option>`)}
    </select>`;

  return html`<section class="panel" aria-labelledby="history-title">
    <div class="panel-head"><h1 id="history-title">${t('history.title')}</h1></div>
    <form class="history-form" id="history-form" role="search" onSubmit=${submit}>
      ${field('alias', html`<input id="history-alias" maxlength="80" value=${filters.alias ?? ''} onInput=${set('alias')} />`)}
      ${field('deviceId', html`<input id="history-deviceId" maxlength="64" value=${filters.deviceId ?? ''} onInput=${set('deviceId')} />`)}
      ${field(
        'kind',
        select('kind', KINDS, (v) => label('kind', v)),
      )}
      ${field(
        'outcome',
        select('outcome', OUTCOMES, (v) => label('outcome', v)),
      )}
      ${field(
        'test',
        select('test', ['real', 'test'], (v) => t(`history.test.${v}`)),
      )}
      ${field('from', html`<input id="history-from" type="date" value=${filters.from ?? ''} onInput=${set('from')} />`)}
      ${field('to', html`<input id="history-to" type="date" value=${filters.to ?? ''} onInput=${set('to')} />`)}
      <button type="submit" class="primary">${t('history.search')}</button>
    </form>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    ${items === null ? null : results(items)}
    ${more ? html`<button type="button" class="history-more" onClick=${() => search(items?.length ?? 0)}>${t('history.more')}</button>` : null}
  </section>`;
}

/** @param {Item[]} items */
function results(items) {
  if (items.length === 0) return html`<p class="empty" id="history-empty">${t('history.empty')}</p>`;
  return html`<div class="table-wrap">
    <table class="grid history-table" id="history-results">
      <caption class="sr-only">${t('history.caption')}</caption>
      <thead>
        <tr>
          ${['history.received', 'queue.person', 'queue.kind', 'history.outcomeCol', 'queue.state', 'queue.device'].map(
            (k) => html`<th scope="col">${t(k)}</th>`,
          )}
        </tr>
      </thead>
      <tbody>
        ${items.map(
          (a) => html`<tr data-alarm-id=${a.id}>
            <td class="mono"><a class="row-link" href=${`#/alarm/${seg(a.id)}`}>${dateTime(a.receivedAt)}</a></td>
            <td class="alias">${a.alias ?? t('common.none')}</td>
            <td>${label('kind', a.kind)}${a.test ? html` <span class="badge test">${t('queue.test')}</span>` : null}</td>
            <td>${a.outcome ? label('outcome', a.outcome) : t('common.none')}</td>
            <td><span class=${`badge state state-${a.state}`}>${label('state', a.state)}</span></td>
            <td class="mono">${a.deviceId}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** @param {HTMLElement} el */
export async function renderHistory(el) {
  el.replaceChildren();
  render(html`<${History} />`, el);
  return () => render(null, el);
}
