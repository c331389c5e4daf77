// A person's registered addresses: listed, added (the API's field errors under the fields) and
// removed. They appear on the operator's map when the person's device sends no fix.
import { api } from '../api.js';
import { seg } from '../dom.js';
import { t } from '../i18n.js';
import { AdminForm } from './form.js';
import { html, useEffect, useState } from './html.js';
import { stateName, stateOptions } from './options.js';
import { ConfirmButton, Table } from './parts.js';

const fields = () => [
  { name: 'label', label: t('admin.addr.label') },
  { name: 'line', label: t('admin.addr.text') },
  { name: 'municipality', label: t('admin.municipality') },
  { name: 'stateCode', label: t('admin.state'), type: /** @type {const} */ ('select'), options: stateOptions() },
  { name: 'lat', label: t('admin.addr.lat'), type: /** @type {const} */ ('decimal'), hint: t('admin.addr.coordsHint') },
  { name: 'lon', label: t('admin.addr.lon'), type: /** @type {const} */ ('decimal') },
];

/** @param {{ person: any, onClose: () => void }} props */
export function AddressesPanel({ person, onClose }) {
  const [addresses, setAddresses] = useState(/** @type {any[] | null} */ (null));
  const [round, setRound] = useState(0);
  const load = async () => setAddresses(await api(`/api/beneficiaries/${seg(person.id)}/addresses`));
  useEffect(() => {
    load();
  }, [person.id]);

  return html`<section class="panel" id="address-panel" aria-labelledby="address-panel-title">
    <div class="admin-head">
      <h2 id="address-panel-title">${t('admin.addr.title', { alias: person.alias })}</h2>
      <button type="button" class="ghost" onClick=${onClose}>${t('admin.close')}</button>
    </div>
    ${
      addresses === null
        ? html`<p class="muted">${t('common.loading')}</p>`
        : html`<${Table}
          id="address-list"
          caption=${t('admin.people.addresses')}
          rows=${addresses}
          empty=${t('admin.addr.none')}
          columns=${[
            { key: 'label', label: t('admin.addr.label') },
            { key: 'line', label: t('admin.addr.text') },
            {
              key: 'stateCode',
              label: t('admin.jurisdiction'),
              cell: (/** @type {any} */ a) => [a.municipality, stateName(a.stateCode)].filter(Boolean).join(', '),
            },
            { key: 'lat', label: t('admin.addr.coords'), cell: (/** @type {any} */ a) => (a.lat === null ? '—' : `${a.lat}, ${a.lon}`) },
          ]}
          actions=${(/** @type {any} */ a) => html`<${ConfirmButton}
            label=${t('admin.remove')}
            question=${t('admin.addr.removeQuestion', { label: a.label })}
            confirmLabel=${t('admin.remove')}
            onConfirm=${async () => {
              await api(`/api/beneficiaries/${seg(person.id)}/addresses/${seg(a.id)}`, { method: 'DELETE' });
              await load();
            }}
          />`}
        />`
    }
    <${AdminForm}
      id="address-form"
      key=${round}
      title=${t('admin.addr.add')}
      fields=${fields()}
      initial=${{ label: t('admin.addr.home'), stateCode: person.stateCode, municipality: person.municipality ?? '' }}
      submitLabel=${t('admin.addr.submit')}
      submit=${(/** @type {any} */ body) => api(`/api/beneficiaries/${seg(person.id)}/addresses`, { method: 'POST', body })}
      onDone=${async () => {
        setRound(round + 1);
        await load();
      }}
    />
  </section>`;
}
