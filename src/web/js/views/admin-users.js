// Administration: staff accounts — create, change role, reset a password, issue or revoke
// tokens, disable. Tokens are shown once.

import { AdminForm } from '../admin/form.js';
import { html, mount, useEffect, useState } from '../admin/html.js';
import { coded, none, ROLES } from '../admin/options.js';
import { ConfirmButton, PageHead, SecretOnce, Status, Table } from '../admin/parts.js';
import { api } from '../api.js';
import { seg } from '../dom.js';
import { dateTime } from '../format.js';
import { label, t } from '../i18n.js';

/** @param {HTMLElement} el */
export async function renderAdminUsers(el) {
  return mount(el, html`<${UsersPage} />`);
}

const roleField = () => ({
  name: 'role',
  label: t('admin.users.role'),
  type: /** @type {const} */ ('select'),
  options: [none(), ...coded('role', ROLES)],
});
const phoneField = () => ({ name: 'phone', label: t('admin.phone'), type: /** @type {const} */ ('tel'), hint: t('admin.users.phoneHint') });
const passwordField = () => ({
  name: 'password',
  label: t('admin.users.password'),
  type: /** @type {const} */ ('password'),
  autocomplete: 'new-password',
  hint: t('admin.users.passwordHint'),
});

function UsersPage() {
  const [users, setUsers] = useState(/** @type {any[] | null} */ (null));
  /** @type {[{ mode: 'create' | 'edit' | 'password', user?: any } | null, (v: any) => void]} */
  const [form, setForm] = useState(/** @type {any} */ (null));
  const [token, setToken] = useState(/** @type {any} */ (null));
  const [status, setStatus] = useState('');
  const load = async () => setUsers(await api('/api/users'));
  useEffect(() => {
    load();
  }, []);

  const done = async (/** @type {string} */ message) => {
    setStatus(message);
    setForm(null);
    await load();
  };
  const forms = {
    create: () => ({
      title: t('admin.users.add'),
      fields: [
        { name: 'name', label: t('admin.users.name'), hint: t('admin.users.nameHint'), autocomplete: 'off' },
        roleField(),
        phoneField(),
        passwordField(),
      ],
      initial: {},
      submitLabel: t('admin.users.create'),
      submit: (/** @type {any} */ body) => api('/api/users', { method: 'POST', body }),
      onDone: async (/** @type {any} */ res) => {
        setToken({ title: t('admin.users.tokenFor', { name: res.user.name }), secret: res.token });
        await done(t('admin.users.created', { name: res.user.name }));
      },
    }),
    edit: (/** @type {any} */ u) => ({
      title: t('admin.users.edit', { name: u.name }),
      fields: [roleField(), phoneField()],
      initial: { role: u.role, phone: u.phone ?? '' },
      submitLabel: t('admin.save'),
      submit: (/** @type {any} */ body) => api(`/api/users/${seg(u.id)}`, { method: 'PATCH', body }),
      onDone: () => done(t('admin.saved', { id: u.name })),
    }),
    password: (/** @type {any} */ u) => ({
      title: t('admin.users.reset', { name: u.name }),
      fields: [passwordField()],
      initial: {},
      submitLabel: t('admin.users.resetSubmit'),
      submit: (/** @type {any} */ body) => api(`/api/users/${seg(u.id)}/password`, { method: 'POST', body }),
      onDone: () => done(t('admin.users.passwordSet', { name: u.name })),
    }),
  };
  const spec = form ? (form.mode === 'create' ? forms.create() : forms[form.mode](form.user)) : null;

  return html`<section class="admin" aria-labelledby="admin-title">
    <${PageHead} title=${t('admin.users.title')}>
      <button type="button" class="primary" onClick=${() => setForm({ mode: 'create' })}>${t('admin.users.add')}</button>
    <//>
    ${status && html`<${Status} message=${status} />`}
    ${token && html`<${SecretOnce} id="user-token" title=${token.title} secret=${token.secret} onClose=${() => setToken(null)} />`}
    ${spec && html`<${AdminForm} id="user-form" key=${`${form?.mode}-${form?.user?.id ?? ''}`} ...${spec} onCancel=${() => setForm(null)} />`}
    ${
      users === null
        ? html`<p class="muted">${t('common.loading')}</p>`
        : html`<${Table}
          id="user-list"
          caption=${t('admin.users.title')}
          rows=${users}
          columns=${[
            { key: 'name', label: t('admin.users.name'), className: 'mono' },
            { key: 'role', label: t('admin.users.role'), cell: (/** @type {any} */ u) => label('role', u.role) },
            { key: 'phone', label: t('admin.phone'), className: 'mono' },
            { key: 'createdAt', label: t('admin.users.since'), cell: (/** @type {any} */ u) => dateTime(u.createdAt) },
            {
              key: 'disabledAt',
              label: t('admin.devices.status'),
              cell: (/** @type {any} */ u) =>
                u.disabledAt ? html`<span class="badge">${t('admin.users.disabled')}</span>` : t('admin.users.enabled'),
            },
          ]}
          actions=${(/** @type {any} */ u) =>
            u.disabledAt
              ? null
              : html`
                  <button type="button" class="ghost" onClick=${() => setForm({ mode: 'edit', user: u })}>${t('admin.users.changeRole')}</button>
                  <button type="button" class="ghost" onClick=${() => setForm({ mode: 'password', user: u })}>${t('admin.users.resetButton')}</button>
                  <${ConfirmButton}
                    label=${t('admin.users.newToken')}
                    question=${t('admin.users.newTokenQuestion', { name: u.name })}
                    confirmLabel=${t('admin.users.newTokenConfirm')}
                    onConfirm=${async () => {
                      const res = await api(`/api/users/${seg(u.id)}/tokens`, { method: 'POST' });
                      setToken({ title: t('admin.users.tokenFor', { name: u.name }), secret: res.token });
                    }}
                  />
                  <${ConfirmButton}
                    label=${t('admin.users.revoke')}
                    question=${t('admin.users.revokeQuestion', { name: u.name })}
                    confirmLabel=${t('admin.users.revokeConfirm')}
                    onConfirm=${async () => {
                      const res = await api(`/api/users/${seg(u.id)}/revoke-tokens`, { method: 'POST' });
                      await done(t('admin.users.revoked', { name: u.name, count: res.revoked }));
                    }}
                  />
                  <${ConfirmButton}
                    label=${t('admin.users.disable')}
                    question=${t('admin.users.disableQuestion', { name: u.name })}
                    confirmLabel=${t('admin.users.disableConfirm')}
                    onConfirm=${async () => {
                      await api(`/api/users/${seg(u.id)}/disable`, { method: 'POST' });
                      await done(t('admin.users.disabledNow', { name: u.name }));
                    }}
                  />
                `}
        />`
    }
  </section>`;
}
