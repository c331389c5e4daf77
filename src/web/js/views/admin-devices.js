// Administration: register, edit, retire devices and rotate their MQTT secret (shown once,
// with a QR code the technician scans into the device's setup).

import { AdminForm, localInput } from '../admin/form.js';
import { html, mount, useEffect, useState } from '../admin/html.js';
import { none, stateName, stateOptions } from '../admin/options.js';
import { ConfirmButton, PageHead, SecretOnce, Status, Table } from '../admin/parts.js';
import { api } from '../api.js';
import { seg } from '../dom.js';
import { dateTime } from '../format.js';
import { label, t } from '../i18n.js';

/** @param {HTMLElement} el */
export async function renderAdminDevices(el) {
  return mount(el, html`<${DevicesPage} />`);
}

function DevicesPage() {
  const [devices, setDevices] = useState(/** @type {any[] | null} */ (null));
  const [models, setModels] = useState(/** @type {any[]} */ ([]));
  const [people, setPeople] = useState(/** @type {any[]} */ ([]));
  const [editing, setEditing] = useState(/** @type {any} */ (null));
  const [secret, setSecret] = useState(/** @type {any} */ (null));
  const [status, setStatus] = useState('');

  const load = async () => setDevices(await api('/api/devices'));
  useEffect(() => {
    load();
    api('/api/device-models').then(setModels);
    api('/api/beneficiaries').then(setPeople);
  }, []);

  const modelOptions = [none(), ...models.map((m) => ({ value: m.id, label: `${m.name} (${m.id})` }))];
  const personOptions = [
    { value: '', label: t('admin.devices.nobody') },
    ...people.map((p) => ({ value: p.id, label: `${p.alias} (${p.id})` })),
  ];
  const fields = (/** @type {boolean} */ creating) => [
    ...(creating ? [{ name: 'id', label: t('admin.devices.id'), hint: t('admin.devices.idHint') }] : []),
    { name: 'modelId', label: t('admin.devices.model'), type: /** @type {const} */ ('select'), options: modelOptions },
    { name: 'beneficiaryId', label: t('admin.devices.beneficiary'), type: /** @type {const} */ ('select'), options: personOptions },
    { name: 'stateCode', label: t('admin.state'), type: /** @type {const} */ ('select'), options: [none(), ...stateOptions()] },
    { name: 'installedAt', label: t('admin.devices.installedAt'), type: /** @type {const} */ ('datetime') },
    {
      name: 'heartbeatIntervalS',
      label: t('admin.devices.heartbeat'),
      type: /** @type {const} */ ('number'),
      hint: t('admin.devices.overrideHint'),
    },
    { name: 'offlineAfterS', label: t('admin.devices.offlineAfter'), type: /** @type {const} */ ('number') },
  ];

  const rotate = async (/** @type {any} */ d) => {
    const res = await api(`/api/devices/${seg(d.id)}/secret`, { method: 'POST' });
    setSecret({ title: t('admin.devices.newSecret', { id: d.id }), ...res });
  };
  const retire = async (/** @type {any} */ d) => {
    await api(`/api/devices/${seg(d.id)}`, { method: 'PATCH', body: { retiredAt: new Date().toISOString() } });
    setStatus(t('admin.devices.retired', { id: d.id }));
    await load();
  };

  return html`<section class="admin" aria-labelledby="admin-title">
    <${PageHead} title=${t('admin.devices.title')}>
      <button type="button" class="primary" onClick=${() => setEditing({})}>${t('admin.devices.add')}</button>
    <//>
    ${status && html`<${Status} message=${status} />`}
    ${
      secret &&
      html`<${SecretOnce} id="device-secret" title=${secret.title} secret=${secret.secret} setup=${secret.setup} onClose=${() => setSecret(null)} />`
    }
    ${
      editing &&
      html`<${AdminForm}
      id="device-form"
      key=${editing.id ?? 'new'}
      title=${editing.id ? t('admin.devices.edit', { id: editing.id }) : t('admin.devices.add')}
      fields=${fields(!editing.id)}
      initial=${editing.id ? { ...editing, beneficiaryId: editing.beneficiaryId ?? '', installedAt: localInput(editing.installedAt) } : {}}
      submitLabel=${editing.id ? t('admin.save') : t('admin.devices.register')}
      submit=${(/** @type {any} */ body) =>
        editing.id
          ? api(`/api/devices/${seg(editing.id)}`, { method: 'PATCH', body: { ...body, beneficiaryId: body.beneficiaryId ?? null } })
          : api('/api/devices', { method: 'POST', body })}
      onDone=${async (/** @type {any} */ res) => {
        if (res.secret) setSecret({ title: t('admin.devices.newSecret', { id: res.device.id }), ...res });
        setStatus(t(editing.id ? 'admin.saved' : 'admin.devices.registered', { id: res.device?.id ?? res.id }));
        setEditing(null);
        await load();
      }}
      onCancel=${() => setEditing(null)}
    />`
    }
    ${
      devices === null
        ? html`<p class="muted">${t('common.loading')}</p>`
        : html`<${Table}
          id="device-list"
          caption=${t('admin.devices.title')}
          rows=${devices}
          columns=${[
            { key: 'id', label: t('admin.devices.id'), className: 'mono' },
            { key: 'modelId', label: t('admin.devices.model') },
            { key: 'stateCode', label: t('admin.state'), cell: (/** @type {any} */ d) => stateName(d.stateCode) },
            { key: 'beneficiaryId', label: t('admin.devices.beneficiary'), className: 'mono' },
            { key: 'installedAt', label: t('admin.devices.installedAt'), cell: (/** @type {any} */ d) => dateTime(d.installedAt) },
            {
              key: 'retiredAt',
              label: t('admin.devices.status'),
              cell: (/** @type {any} */ d) =>
                d.retiredAt
                  ? html`<span class="badge">${t('admin.devices.retiredOn', { when: dateTime(d.retiredAt) })}</span>`
                  : label('admin.devices', 'active'),
            },
          ]}
          actions=${(/** @type {any} */ d) => html`
            <button type="button" class="ghost" onClick=${() => setEditing(d)}>${t('admin.edit')}</button>
            <${ConfirmButton}
              label=${t('admin.devices.rotate')}
              question=${t('admin.devices.rotateQuestion', { id: d.id })}
              confirmLabel=${t('admin.devices.rotateConfirm')}
              onConfirm=${() => rotate(d)}
            />
            ${
              !d.retiredAt &&
              html`<${ConfirmButton}
              label=${t('admin.devices.retire')}
              question=${t('admin.devices.retireQuestion', { id: d.id })}
              confirmLabel=${t('admin.devices.retireConfirm')}
              onConfirm=${() => retire(d)}
            />`
            }
          `}
        />`
    }
  </section>`;
}
