// Administration: bulk registration from a spreadsheet saved as CSV. First a preview (the API's
// dry run: every check, nothing written), then the import itself, all rows or none.

import { html, mount, useState } from '../admin/html.js';
import { PageHead, Table } from '../admin/parts.js';
import { ApiError, api } from '../api.js';
import { t } from '../i18n.js';

/** @param {HTMLElement} el */
export async function renderAdminImport(el) {
  return mount(el, html`<${ImportPage} />`);
}

const KINDS = ['beneficiaries', 'contacts', 'devices', 'responders'];
/** The header each kind expects (required first); the API's field names. */
const COLUMNS = {
  beneficiaries: 'id,alias,fullName,kind,stateCode,riskLevel [,municipality,language,addresses,presumedAggressors]',
  contacts: 'beneficiaryId,name,phone,relation [,id,language,channels,priority]',
  devices: 'id,modelId,stateCode [,beneficiaryId,requestedAt,installedAt,retiredAt,heartbeatIntervalS,offlineAfterS]',
  responders: 'name,kind,stateCode,phone,escalationOrder [,id,municipality,language]',
};

/** The device secrets as a CSV file the person saves once (a Blob: nothing leaves the browser). */
function secretsFile(/** @type {{ deviceId: string, secret: string }[]} */ secrets) {
  const csv = ['deviceId,secret', ...secrets.map((s) => `${s.deviceId},${s.secret}`)].join('\n');
  return URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
}

function ImportPage() {
  const [kind, setKind] = useState('beneficiaries');
  const [file, setFile] = useState(/** @type {File | null} */ (null));
  const [preview, setPreview] = useState(/** @type {any} */ (null));
  const [problems, setProblems] = useState(/** @type {{ line: number, column?: string, message: string }[] | null} */ (null));
  const [error, setError] = useState('');
  const [result, setResult] = useState(/** @type {any} */ (null));
  const [busy, setBusy] = useState(false);
  const [later, setLater] = useState(false);

  const reset = () => {
    setPreview(null);
    setProblems(null);
    setError('');
    setResult(null);
  };
  const send = async (/** @type {boolean} */ dryRun) => {
    if (!file) return;
    setBusy(true);
    setError('');
    setProblems(null);
    try {
      const secrets = kind === 'devices' && later ? '&secrets=later' : '';
      const res = await api(`/api/imports/${kind}?dryRun=${dryRun}${secrets}`, { method: 'POST', csv: file });
      if (dryRun) setPreview(res);
      else {
        setPreview(null);
        setResult({ ...res, secretsUrl: res.secrets ? secretsFile(res.secrets) : undefined });
      }
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setPreview(null);
      const lines = /** @type {any} */ (err.details).lines;
      if (Array.isArray(lines)) setProblems(lines);
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };

  const previewColumns = preview?.preview?.[0] ? Object.keys(preview.preview[0]) : [];
  return html`<section class="admin" aria-labelledby="admin-title">
    <${PageHead} title=${t('admin.import.title')} />
    <form
      class="panel admin-form"
      id="import-form"
      onSubmit=${(/** @type {Event} */ e) => {
        e.preventDefault();
        send(true);
      }}
    >
      <div class="admin-fields">
        <div class="field">
          <label for="import-kind">${t('admin.import.kind')}</label>
          <select
            id="import-kind"
            value=${kind}
            onChange=${(/** @type {any} */ e) => {
              setKind(e.currentTarget.value);
              reset();
            }}
          >
            ${KINDS.map((k) => html`<option value=${k}>${t(`admin.import.kind.${k}`)}</option>`)}
          </select>
        </div>
        <div class="field wide">
          <label for="import-file">${t('admin.import.file')}</label>
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            aria-describedby="import-columns"
            onChange=${(/** @type {any} */ e) => {
              setFile(e.currentTarget.files?.[0] ?? null);
              reset();
            }}
          />
          <p class="hint small muted" id="import-columns">${t('admin.import.columns')} <code>${COLUMNS[kind]}</code></p>
        </div>
        ${
          kind === 'devices' &&
          html`<div class="field wide">
          <label class="choice"
            ><input type="checkbox" checked=${later} onChange=${(/** @type {any} */ e) => setLater(e.currentTarget.checked)} />
            ${t('admin.import.secretsLater')}</label
          >
        </div>`
        }
      </div>
      <div class="admin-actions">
        <button type="submit" class="primary" disabled=${!file || busy}>${t('admin.import.preview')}</button>
      </div>
    </form>
    ${error && html`<p class="form-error" role="alert" id="import-error">${error}</p>`}
    ${
      problems &&
      html`<${Table}
      id="import-problems"
      caption=${t('admin.import.problems')}
      rows=${problems.map((p, i) => ({ ...p, id: String(i) }))}
      columns=${[
        { key: 'line', label: t('admin.import.line'), className: 'mono' },
        { key: 'column', label: t('admin.import.column'), className: 'mono' },
        { key: 'message', label: t('admin.import.problem') },
      ]}
    />`
    }
    ${
      preview &&
      html`<section class="panel" id="import-preview" aria-labelledby="import-preview-title">
      <h2 id="import-preview-title">${t('admin.import.ready', { rows: preview.rows })}</h2>
      <${Table}
        id="import-preview-rows"
        caption=${t('admin.import.previewCaption')}
        rows=${preview.preview.map((r, i) => ({ ...r, id: String(i) }))}
        columns=${previewColumns.map((key) => ({
          key,
          label: key,
          cell: (/** @type {any} */ r) => (typeof r[key] === 'object' && r[key] !== null ? JSON.stringify(r[key]) : String(r[key] ?? '')),
        }))}
      />
      ${preview.rows > preview.preview.length && html`<p class="muted small">${t('admin.import.more', { more: preview.rows - preview.preview.length })}</p>`}
      <button type="button" class="primary" disabled=${busy} onClick=${() => send(false)}>${t('admin.import.confirm', { rows: preview.rows })}</button>
    </section>`
    }
    ${
      result &&
      html`<p role="status" class="notice good" id="import-done">${t('admin.import.done', { rows: result.rows })}</p>
      ${
        result.secrets &&
        html`<section class="panel secret-once" id="import-secrets">
        <h2>${t('admin.import.secrets')}</h2>
        <p class="notice">${t('admin.secret.once')}</p>
        <a class="button primary" href=${result.secretsUrl} download="device-secrets.csv">${t('admin.import.saveSecrets')}</a>
        <button type="button" class="ghost" onClick=${() => {
          URL.revokeObjectURL(result.secretsUrl);
          setResult({ ...result, secrets: undefined, secretsUrl: undefined });
        }}>${t('admin.secret.done')}</button>
      </section>`
      }`
    }
  </section>`;
}
