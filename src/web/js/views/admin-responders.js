// Administration: the responding authorities of each jurisdiction, in escalation order.

import { AdminForm } from '../admin/form.js';
import { html, mount, useEffect, useState } from '../admin/html.js';
import { coded, LANGUAGES, none, RESPONDER_KINDS, stateName, stateOptions } from '../admin/options.js';
import { PageHead, Status, Table } from '../admin/parts.js';
import { api } from '../api.js';
import { seg } from '../dom.js';
import { label, t } from '../i18n.js';

/** @param {HTMLElement} el */
export async function renderAdminResponders(el) {
  return mount(el, html`<${RespondersPage} />`);
}

const fields = () => [
  { name: 'name', label: t('admin.responders.name') },
  {
    name: 'kind',
    label: t('admin.responders.kind'),
    type: /** @type {const} */ ('select'),
    options: [none(), ...coded('rkind', RESPONDER_KINDS)],
  },
  { name: 'stateCode', label: t('admin.state'), type: /** @type {const} */ ('select'), options: [none(), ...stateOptions()] },
  { name: 'municipality', label: t('admin.municipality'), hint: t('admin.responders.municipalityHint') },
  { name: 'phone', label: t('admin.phone'), type: /** @type {const} */ ('tel'), hint: t('admin.phoneHint') },
  { name: 'escalationOrder', label: t('admin.responders.order'), type: /** @type {const} */ ('number') },
  { name: 'language', label: t('admin.language'), type: /** @type {const} */ ('select'), options: coded('admin.lang', LANGUAGES) },
];

function RespondersPage() {
  const [state, setState] = useState('');
  const [responders, setResponders] = useState(/** @type {any[] | null} */ (null));
  const [editing, setEditing] = useState(/** @type {any} */ (null));
  const [status, setStatus] = useState('');
  const load = async () => setResponders(await api(state ? `/api/responders?stateCode=${seg(state)}` : '/api/responders'));
  useEffect(() => {
    load();
  }, [state]);

  return html`<section class="admin" aria-labelledby="admin-title">
    <${PageHead} title=${t('admin.responders.title')}>
      <button type="button" class="primary" onClick=${() => setEditing({ stateCode: state, language: 'es', escalationOrder: '1' })}>
        ${t('admin.responders.add')}
      </button>
    <//>
    <div class="field inline">
      <label for="responder-state">${t('admin.state')}</label>
      <select id="responder-state" value=${state} onChange=${(/** @type {any} */ e) => setState(e.currentTarget.value)}>
        <option value="">${t('admin.allStates')}</option>
        ${stateOptions().map((o) => html`<option value=${o.value}>${o.label}</option>`)}
      </select>
    </div>
    ${status && html`<${Status} message=${status} />`}
    ${
      editing &&
      html`<${AdminForm}
      id="responder-form"
      key=${editing.id ?? 'new'}
      title=${editing.id ? t('admin.responders.edit', { name: editing.name }) : t('admin.responders.add')}
      fields=${fields()}
      initial=${{ ...editing, municipality: editing.municipality ?? '', escalationOrder: String(editing.escalationOrder ?? '') }}
      submitLabel=${editing.id ? t('admin.save') : t('admin.responders.register')}
      submit=${(/** @type {any} */ body) =>
        editing.id
          ? api(`/api/responders/${seg(editing.id)}`, { method: 'PATCH', body })
          : api('/api/responders', { method: 'POST', body })}
      onDone=${async (/** @type {any} */ res) => {
        setStatus(t(editing.id ? 'admin.saved' : 'admin.responders.registered', { id: res.name }));
        setEditing(null);
        await load();
      }}
      onCancel=${() => setEditing(null)}
    />`
    }
    ${
      responders === null
        ? html`<p class="muted">${t('common.loading')}</p>`
        : html`<${Table}
          id="responder-list"
          caption=${t('admin.responders.title')}
          rows=${responders}
          columns=${[
            { key: 'stateCode', label: t('admin.state'), cell: (/** @type {any} */ r) => stateName(r.stateCode) },
            {
              key: 'municipality',
              label: t('admin.municipality'),
              cell: (/** @type {any} */ r) => r.municipality ?? t('admin.responders.wholeState'),
            },
            { key: 'escalationOrder', label: t('admin.responders.order') },
            { key: 'name', label: t('admin.responders.name') },
            { key: 'kind', label: t('admin.responders.kind'), cell: (/** @type {any} */ r) => label('rkind', r.kind) },
            { key: 'phone', label: t('admin.phone'), className: 'mono' },
          ]}
          actions=${(/** @type {any} */ r) => html`<button type="button" class="ghost" onClick=${() => setEditing(r)}>${t('admin.edit')}</button>`}
        />`
    }
  </section>`;
}
