// Administration: a beneficiary's trusted contacts — who is called or texted, in what order
// and language, when the button is pressed.

import { AdminForm } from '../admin/form.js';
import { html, mount, useEffect, useState } from '../admin/html.js';
import { coded, LANGUAGES } from '../admin/options.js';
import { ConfirmButton, PageHead, Status, Table } from '../admin/parts.js';
import { api } from '../api.js';
import { seg } from '../dom.js';
import { label, t } from '../i18n.js';

/** @param {HTMLElement} el @param {Record<string, string>} params */
export async function renderAdminContacts(el, params) {
  return mount(el, html`<${ContactsPage} beneficiaryId=${params.beneficiaryId ?? ''} />`);
}

const CHANNELS = ['sms', 'voice'];

/** @param {{ id: string, value: any, set: (v: any) => void, describedBy: string | undefined }} p */
function ChannelsEditor({ id, value, set, describedBy }) {
  const chosen = /** @type {string[]} */ (value ?? []);
  return html`<div class="list-editor inline" id=${id} role="group" aria-labelledby=${`${id}-label`} aria-describedby=${describedBy}>
    ${CHANNELS.map(
      (c) => html`<label class="choice"
        ><input
          type="checkbox"
          checked=${chosen.includes(c)}
          onChange=${(/** @type {any} */ e) => set(e.currentTarget.checked ? [...chosen, c] : chosen.filter((x) => x !== c))}
        />
        ${label('channel', c)}</label
      >`,
    )}
  </div>`;
}

const fields = () => [
  { name: 'name', label: t('admin.contacts.name') },
  { name: 'phone', label: t('admin.phone'), type: /** @type {const} */ ('tel'), hint: t('admin.phoneHint') },
  { name: 'relation', label: t('admin.contacts.relation') },
  { name: 'language', label: t('admin.language'), type: /** @type {const} */ ('select'), options: coded('admin.lang', LANGUAGES) },
  { name: 'channels', label: t('admin.contacts.channels'), custom: ChannelsEditor },
  { name: 'priority', label: t('admin.contacts.priority'), type: /** @type {const} */ ('number'), hint: t('admin.contacts.priorityHint') },
];

/** @param {{ beneficiaryId: string }} props */
function ContactsPage({ beneficiaryId }) {
  const [people, setPeople] = useState(/** @type {any[]} */ ([]));
  const [contacts, setContacts] = useState(/** @type {any[] | null} */ (null));
  const [editing, setEditing] = useState(/** @type {any} */ (null));
  const [status, setStatus] = useState('');
  const load = async () => setContacts(beneficiaryId ? await api(`/api/contacts?beneficiaryId=${seg(beneficiaryId)}`) : []);
  useEffect(() => {
    api('/api/beneficiaries').then(setPeople);
  }, []);
  // The router mounts the page afresh for each person (the id is in the address).
  useEffect(() => {
    load();
  }, [beneficiaryId]);
  const person = people.find((p) => p.id === beneficiaryId);

  return html`<section class="admin" aria-labelledby="admin-title">
    <${PageHead} title=${t('admin.contacts.title')}>
      ${
        beneficiaryId &&
        html`<button type="button" class="primary" onClick=${() => setEditing({ language: 'es', channels: ['sms', 'voice'], priority: '0' })}>
        ${t('admin.contacts.add')}
      </button>`
      }
    <//>
    <div class="field inline">
      <label for="contact-person">${t('admin.contacts.person')}</label>
      <select
        id="contact-person"
        value=${beneficiaryId}
        onChange=${(/** @type {any} */ e) => {
          window.location.hash = e.currentTarget.value ? `#/admin/contacts/${seg(e.currentTarget.value)}` : '#/admin/contacts';
        }}
      >
        <option value="">${t('admin.choose')}</option>
        ${people.map((p) => html`<option value=${p.id}>${p.alias} (${p.id})</option>`)}
      </select>
    </div>
    ${status && html`<${Status} message=${status} />`}
    ${
      editing &&
      html`<${AdminForm}
      id="contact-form"
      key=${editing.id ?? 'new'}
      title=${editing.id ? t('admin.contacts.edit', { name: editing.name }) : t('admin.contacts.addFor', { alias: person?.alias ?? beneficiaryId })}
      fields=${fields()}
      initial=${editing}
      submitLabel=${editing.id ? t('admin.save') : t('admin.contacts.register')}
      submit=${(/** @type {any} */ body) =>
        editing.id
          ? api(`/api/contacts/${seg(editing.id)}`, { method: 'PATCH', body })
          : api('/api/contacts', { method: 'POST', body: { ...body, beneficiaryId } })}
      onDone=${async (/** @type {any} */ res) => {
        setStatus(t(editing.id ? 'admin.saved' : 'admin.contacts.registered', { id: res.name }));
        setEditing(null);
        await load();
      }}
      onCancel=${() => setEditing(null)}
    />`
    }
    ${
      !beneficiaryId
        ? html`<p class="empty">${t('admin.contacts.pick')}</p>`
        : contacts === null
          ? html`<p class="muted">${t('common.loading')}</p>`
          : html`<${Table}
            id="contact-list"
            caption=${t('admin.contacts.title')}
            rows=${contacts}
            columns=${[
              { key: 'priority', label: t('admin.contacts.priority') },
              { key: 'name', label: t('admin.contacts.name') },
              { key: 'phone', label: t('admin.phone'), className: 'mono' },
              { key: 'relation', label: t('admin.contacts.relation') },
              {
                key: 'channels',
                label: t('admin.contacts.channels'),
                cell: (/** @type {any} */ c) => c.channels.map((x) => label('channel', x)).join(', '),
              },
              { key: 'language', label: t('admin.language') },
            ]}
            actions=${(/** @type {any} */ c) => html`
              <button type="button" class="ghost" onClick=${() => setEditing({ ...c, priority: String(c.priority) })}>${t('admin.edit')}</button>
              <${ConfirmButton}
                label=${t('admin.delete')}
                question=${t('admin.contacts.deleteQuestion', { name: c.name })}
                confirmLabel=${t('admin.delete')}
                onConfirm=${async () => {
                  await api(`/api/contacts/${seg(c.id)}`, { method: 'DELETE' });
                  setStatus(t('admin.contacts.deleted', { name: c.name }));
                  await load();
                }}
              />
            `}
          />`
    }
  </section>`;
}
