// Small pieces the administration pages share: a table, a confirmation step, a secret shown once.
import { t } from '../i18n.js';
import { html, useState } from './html.js';

/**
 * @typedef {{ key: string, label: string, cell?: (row: any) => any, className?: string }} Column
 * @param {{ id: string, caption: string, columns: Column[], rows: any[], actions?: (row: any) => any, empty?: string }} props
 */
export function Table({ id, caption, columns, rows, actions, empty }) {
  if (rows.length === 0) return html`<p class="empty" id=${id}>${empty ?? t('admin.empty')}</p>`;
  return html`<div class="table-wrap">
    <table class="grid admin-table" id=${id}>
      <caption class="sr-only">${caption}</caption>
      <thead>
        <tr>
          ${columns.map((c) => html`<th scope="col">${c.label}</th>`)}
          ${actions && html`<th scope="col"><span class="sr-only">${t('admin.actions')}</span></th>`}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (row) => html`<tr data-id=${row.id}>
            ${columns.map((c) => html`<td class=${c.className}>${c.cell ? c.cell(row) : (row[c.key] ?? '—')}</td>`)}
            ${actions && html`<td class="admin-row-actions">${actions(row)}</td>`}
          </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/**
 * A button that asks once more before doing something hard to undo (retire, revoke, delete).
 * @param {{ label: string, confirmLabel: string, question: string, onConfirm: () => Promise<void> | void }} props
 */
export function ConfirmButton({ label, confirmLabel, question, onConfirm }) {
  const [asking, setAsking] = useState(false);
  if (!asking) return html`<button type="button" class="ghost" onClick=${() => setAsking(true)}>${label}</button>`;
  return html`<span class="confirm" role="group" aria-label=${question}>
    <span class="small">${question}</span>
    <button
      type="button"
      class="primary danger"
      onClick=${async () => {
        setAsking(false);
        await onConfirm();
      }}
    >
      ${confirmLabel}
    </button>
    <button type="button" class="ghost" onClick=${() => setAsking(false)}>${t('admin.cancel')}</button>
  </span>`;
}

/**
 * A credential the server shows once (an MQTT secret, an API token), with the device's setup
 * QR code when there is one. Closing it drops it from the page for good.
 * @param {{ id: string, title: string, secret: string, setup?: { url: string, qr: string }, onClose: () => void }} props
 */
export function SecretOnce({ id, title, secret, setup, onClose }) {
  return html`<section class="panel secret-once" id=${id} role="alert" aria-labelledby=${`${id}-title`}>
    <h2 id=${`${id}-title`}>${title}</h2>
    <p class="notice">${t('admin.secret.once')}</p>
    <p><code class="mono secret" id=${`${id}-value`}>${secret}</code></p>
    ${
      setup &&
      html`<figure class="qr">
      <img src=${setup.qr} alt=${t('admin.secret.qrAlt')} width="220" height="220" />
      <figcaption class="small muted">${t('admin.secret.qrHelp')}</figcaption>
    </figure>`
    }
    <button type="button" class="primary" onClick=${onClose}>${t('admin.secret.done')}</button>
  </section>`;
}

const PAGES = ['devices', 'beneficiaries', 'contacts', 'responders', 'users', 'audit', 'import'];

/** The administration pages' own row of links, under the top bar's one "Administración" entry. */
export function AdminNav() {
  const here = window.location.hash.replace(/^#\/admin\//, '').split('/')[0];
  return html`<nav class="admin-nav" aria-label=${t('admin.nav.label')}>
    ${PAGES.map(
      (p) =>
        html`<a href=${`#/admin/${p}`} id=${`admin-nav-${p}`} aria-current=${p === here ? 'page' : undefined}>${t(`admin.nav.${p}`)}</a>`,
    )}
  </nav>`;
}

/** A page's title and its main action, under the administration links. */
export function PageHead(/** @type {{ title: string, children?: any }} */ { title, children }) {
  return html`<${AdminNav} />
    <div class="panel-head admin-head">
      <h1 id="admin-title">${title}</h1>
      <div class="admin-actions">${children}</div>
    </div>`;
}

/** @param {{ message: string }} props */
export const Status = ({ message }) => html`<p class="admin-status" role="status">${message}</p>`;
