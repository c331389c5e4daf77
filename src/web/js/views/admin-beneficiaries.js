// Administration: the people protected — alias, name, risk, jurisdiction, addresses and
// presumed aggressors (escalation never dispatches a responder that matches one).

import { AddressesPanel } from '../admin/addresses-panel.js';
import { AdminForm } from '../admin/form.js';
import { html, mount, useEffect, useState } from '../admin/html.js';
import { AggressorsEditor } from '../admin/list-editors.js';
import { BENEFICIARY_KINDS, coded, LANGUAGES, none, RISK_LEVELS, stateName, stateOptions } from '../admin/options.js';
import { PageHead, Status, Table } from '../admin/parts.js';
import { api } from '../api.js';
import { seg } from '../dom.js';
import { label, t } from '../i18n.js';

/** @param {HTMLElement} el */
export async function renderAdminBeneficiaries(el) {
  return mount(el, html`<${BeneficiariesPage} />`);
}

const fields = (/** @type {boolean} */ creating) => [
  ...(creating ? [{ name: 'id', label: t('admin.people.id'), hint: t('admin.people.idHint') }] : []),
  { name: 'alias', label: t('admin.people.alias') },
  { name: 'fullName', label: t('admin.people.fullName') },
  {
    name: 'kind',
    label: t('admin.people.kind'),
    type: /** @type {const} */ ('select'),
    options: [none(), ...coded('bkind', BENEFICIARY_KINDS)],
  },
  {
    name: 'riskLevel',
    label: t('admin.people.risk'),
    type: /** @type {const} */ ('select'),
    options: [none(), ...coded('risk', RISK_LEVELS)],
  },
  { name: 'stateCode', label: t('admin.state'), type: /** @type {const} */ ('select'), options: [none(), ...stateOptions()] },
  { name: 'municipality', label: t('admin.municipality') },
  { name: 'language', label: t('admin.language'), type: /** @type {const} */ ('select'), options: coded('admin.lang', LANGUAGES) },
  { name: 'presumedAggressors', label: t('admin.people.aggressors'), custom: AggressorsEditor },
];

function BeneficiariesPage() {
  const [people, setPeople] = useState(/** @type {any[] | null} */ (null));
  const [editing, setEditing] = useState(/** @type {any} */ (null));
  const [status, setStatus] = useState('');
  const [addressesOf, setAddressesOf] = useState(/** @type {any} */ (null));
  const load = async () => setPeople(await api('/api/beneficiaries'));
  useEffect(() => {
    load();
  }, []);

  return html`<section class="admin" aria-labelledby="admin-title">
    <${PageHead} title=${t('admin.people.title')}>
      <button type="button" class="primary" onClick=${() => setEditing({ language: 'es', presumedAggressors: [] })}>
        ${t('admin.people.add')}
      </button>
    <//>
    ${status && html`<${Status} message=${status} />`}
    ${
      editing &&
      html`<${AdminForm}
      id="person-form"
      key=${editing.id ?? 'new'}
      title=${editing.id ? t('admin.people.edit', { alias: editing.alias }) : t('admin.people.add')}
      fields=${fields(!editing.id)}
      initial=${{ ...editing, municipality: editing.municipality ?? '' }}
      submitLabel=${editing.id ? t('admin.save') : t('admin.people.register')}
      submit=${(/** @type {any} */ body) =>
        editing.id
          ? api(`/api/beneficiaries/${seg(editing.id)}`, { method: 'PATCH', body })
          : api('/api/beneficiaries', { method: 'POST', body })}
      onDone=${async (/** @type {any} */ res) => {
        setStatus(t(editing.id ? 'admin.saved' : 'admin.people.registered', { id: res.alias }));
        // A new person's addresses come next.
        if (!editing.id) setAddressesOf(res);
        setEditing(null);
        await load();
      }}
      onCancel=${() => setEditing(null)}
    />`
    }
    ${addressesOf && html`<${AddressesPanel} key=${addressesOf.id} person=${addressesOf} onClose=${() => setAddressesOf(null)} />`}
    ${
      people === null
        ? html`<p class="muted">${t('common.loading')}</p>`
        : html`<${Table}
          id="person-list"
          caption=${t('admin.people.title')}
          rows=${people}
          columns=${[
            { key: 'alias', label: t('admin.people.alias') },
            { key: 'fullName', label: t('admin.people.fullName') },
            { key: 'kind', label: t('admin.people.kind'), cell: (/** @type {any} */ p) => label('bkind', p.kind) },
            { key: 'riskLevel', label: t('admin.people.risk'), cell: (/** @type {any} */ p) => label('risk', p.riskLevel) },
            {
              key: 'stateCode',
              label: t('admin.jurisdiction'),
              cell: (/** @type {any} */ p) => [stateName(p.stateCode), p.municipality].filter(Boolean).join(' · '),
            },
            {
              key: 'presumedAggressors',
              label: t('admin.people.aggressors'),
              cell: (/** @type {any} */ p) => String(p.presumedAggressors.length),
            },
          ]}
          actions=${(/** @type {any} */ p) => html`
            <button type="button" class="ghost" onClick=${() => setEditing(p)}>${t('admin.edit')}</button>
            <button type="button" class="ghost" onClick=${() => setAddressesOf(p)}>${t('admin.people.addresses')}</button>
            <a class="button ghost" href=${`#/admin/contacts/${seg(p.id)}`}>${t('admin.people.contacts')}</a>
          `}
        />`
    }
  </section>`;
}
