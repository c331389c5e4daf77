// Administration: the audit log (who read or changed what) and the check of its hash chain.

import { html, mount, useEffect, useState } from '../admin/html.js';
import { PageHead, Table } from '../admin/parts.js';
import { api } from '../api.js';
import { dateTime } from '../format.js';
import { t } from '../i18n.js';

/** @param {HTMLElement} el */
export async function renderAdminAudit(el) {
  return mount(el, html`<${AuditPage} />`);
}

const RECORD_TYPES = ['beneficiary', 'contact', 'device', 'responder', 'user', 'alarm'];

function AuditPage() {
  const [filter, setFilter] = useState({ recordType: '', recordId: '' });
  const [entries, setEntries] = useState(/** @type {any[] | null} */ (null));
  const [verdict, setVerdict] = useState(/** @type {any} */ (null));
  const [checking, setChecking] = useState(false);
  const load = async () => {
    const q = new URLSearchParams({ limit: '200' });
    if (filter.recordType) q.set('recordType', filter.recordType);
    if (filter.recordId.trim()) q.set('recordId', filter.recordId.trim());
    setEntries(await api(`/api/audit?${q}`));
  };
  useEffect(() => {
    load();
  }, [filter.recordType]);
  const verify = async () => {
    setChecking(true);
    try {
      setVerdict(await api('/api/audit/verify'));
    } finally {
      setChecking(false);
    }
  };

  return html`<section class="admin" aria-labelledby="admin-title">
    <${PageHead} title=${t('admin.audit.title')}>
      <button type="button" class="primary" onClick=${verify} disabled=${checking}>${t('admin.audit.verify')}</button>
    <//>
    ${
      verdict &&
      html`<p id="audit-verdict" role="status" class=${verdict.ok ? 'notice good' : 'notice error'}>
      ${
        verdict.ok
          ? t('admin.audit.ok', { entries: verdict.entries })
          : t('admin.audit.broken', { seq: verdict.brokenAt, reason: verdict.reason, entries: verdict.entries })
      }
    </p>`
    }
    <form
      class="admin-filters"
      onSubmit=${(/** @type {Event} */ e) => {
        e.preventDefault();
        load();
      }}
    >
      <div class="field inline">
        <label for="audit-type">${t('admin.audit.recordType')}</label>
        <select id="audit-type" value=${filter.recordType} onChange=${(/** @type {any} */ e) => setFilter({ ...filter, recordType: e.currentTarget.value })}>
          <option value="">${t('admin.audit.anyType')}</option>
          ${RECORD_TYPES.map((r) => html`<option value=${r}>${t(`admin.audit.type.${r}`)}</option>`)}
        </select>
      </div>
      <div class="field inline">
        <label for="audit-id">${t('admin.audit.recordId')}</label>
        <input id="audit-id" value=${filter.recordId} onInput=${(/** @type {any} */ e) => setFilter({ ...filter, recordId: e.currentTarget.value })} />
      </div>
      <button type="submit" class="ghost">${t('admin.audit.search')}</button>
    </form>
    ${
      entries === null
        ? html`<p class="muted">${t('common.loading')}</p>`
        : html`<${Table}
          id="audit-list"
          caption=${t('admin.audit.title')}
          rows=${entries.map((e) => ({ ...e, id: String(e.seq) }))}
          columns=${[
            { key: 'seq', label: '#', className: 'mono' },
            { key: 'at', label: t('admin.audit.at'), cell: (/** @type {any} */ e) => dateTime(e.at) },
            { key: 'actorId', label: t('admin.audit.actor'), className: 'mono' },
            { key: 'actorRole', label: t('admin.users.role') },
            { key: 'action', label: t('admin.audit.action') },
            { key: 'recordType', label: t('admin.audit.recordType') },
            { key: 'recordId', label: t('admin.audit.recordId'), className: 'mono' },
            {
              key: 'hash',
              label: t('admin.audit.hash'),
              cell: (/** @type {any} */ e) => html`<span class="mono small" title=${e.hash}>${e.hash.slice(0, 12)}…</span>`,
            },
          ]}
        />`
    }
  </section>`;
}
