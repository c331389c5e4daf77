// The editor of a beneficiary's presumed aggressors. Each row is a few plain inputs; the list
// goes to the API as it is and the API's schema judges it.
import { label, t } from '../i18n.js';
import { html } from './html.js';
import { RESPONDER_KINDS, stateOptions } from './options.js';

/**
 * @typedef {{ id: string, value: any, set: (v: any) => void, describedBy: string | undefined, invalid: boolean }} EditorProps
 */

const AGGRESSOR_TYPES = ['authority', 'responder', 'non_state', 'unknown'];

/** A fresh aggressor of a type, with the fields that type needs. */
function blank(/** @type {string} */ type) {
  if (type === 'authority') return { type, responderKind: 'municipal_police', stateCode: '' };
  if (type === 'responder') return { type, responderId: '' };
  return { type };
}

/** @param {EditorProps} p */
export function AggressorsEditor({ id, value, set, describedBy }) {
  const list = /** @type {any[]} */ (value ?? []);
  const update = (/** @type {number} */ i, /** @type {any} */ next) => set(list.map((a, j) => (j === i ? next : a)));
  const text = (/** @type {number} */ i, /** @type {string} */ key) => (/** @type {any} */ e) => {
    const v = e.currentTarget.value;
    const next = { ...list[i], [key]: v };
    if (v === '' && (key === 'municipality' || key === 'description')) delete next[key];
    update(i, next);
  };
  /** One labelled control of row i: label and control tied by id, so each has a plain name. */
  const cell = (/** @type {number} */ i, /** @type {string} */ key, /** @type {string} */ text, /** @type {any} */ control, grow = false) =>
    html`<span class=${grow ? 'grow' : undefined}><label for=${`${id}-${i}-${key}`}>${text}</label>${control}</span>`;
  return html`<div class="list-editor" id=${id} role="group" aria-labelledby=${`${id}-label`} aria-describedby=${describedBy}>
    ${list.map(
      (a, i) => html`<div class="list-row">
        ${cell(
          i,
          'type',
          t('admin.aggr.type'),
          html`<select id=${`${id}-${i}-type`} value=${a.type} onChange=${(/** @type {any} */ e) => update(i, blank(e.currentTarget.value))}>
            ${AGGRESSOR_TYPES.map((k) => html`<option value=${k}>${t(`admin.aggr.${k}`)}</option>`)}
          </select>`,
        )}
        ${
          a.type === 'authority' && [
            cell(
              i,
              'kind',
              t('admin.aggr.kind'),
              html`<select id=${`${id}-${i}-kind`} value=${a.responderKind} onChange=${text(i, 'responderKind')}>
              ${RESPONDER_KINDS.map((k) => html`<option value=${k}>${label('rkind', k)}</option>`)}
            </select>`,
            ),
            cell(
              i,
              'state',
              t('admin.state'),
              html`<select id=${`${id}-${i}-state`} value=${a.stateCode} onChange=${text(i, 'stateCode')}>
              <option value="">${t('admin.choose')}</option>
              ${stateOptions().map((o) => html`<option value=${o.value}>${o.label}</option>`)}
            </select>`,
            ),
            cell(
              i,
              'municipality',
              t('admin.municipality'),
              html`<input id=${`${id}-${i}-municipality`} value=${a.municipality ?? ''} onInput=${text(i, 'municipality')} />`,
            ),
          ]
        }
        ${
          a.type === 'responder' &&
          cell(
            i,
            'responder',
            t('admin.aggr.responderId'),
            html`<input id=${`${id}-${i}-responder`} value=${a.responderId} onInput=${text(i, 'responderId')} />`,
          )
        }
        ${
          a.type === 'non_state' &&
          cell(
            i,
            'description',
            t('admin.aggr.description'),
            html`<input id=${`${id}-${i}-description`} value=${a.description ?? ''} onInput=${text(i, 'description')} />`,
            true,
          )
        }
        <button type="button" class="ghost" onClick=${() => set(list.filter((_, j) => j !== i))}>${t('admin.remove')}</button>
      </div>`,
    )}
    <button type="button" class="ghost" onClick=${() => set([...list, blank('authority')])}>${t('admin.aggr.add')}</button>
  </div>`;
}
