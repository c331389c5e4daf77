// One form component for every administration page. It does not second-guess the API: the
// browser's own validation is off (novalidate), the body goes to the API, and the API's field
// errors are shown under their fields, in the API's words.
import { ApiError } from '../api.js';
import { t } from '../i18n.js';
import { fieldErrors } from './field-errors.js';
import { html, useEffect, useState } from './html.js';

/**
 * @typedef {{ value: string, label: string }} Option
 * @typedef {{
 *   name: string, label: string,
 *   type?: 'text' | 'number' | 'decimal' | 'select' | 'datetime' | 'tel' | 'password',
 *   options?: Option[], hint?: string, autocomplete?: string,
 *   custom?: (p: { id: string, value: any, set: (v: any) => void, describedBy: string | undefined, invalid: boolean }) => any
 * }} Field
 */

/** Form text → request body: empty means "not given"; numbers and times in the API's forms. */
function toBody(/** @type {Field[]} */ fields, /** @type {Record<string, any>} */ values) {
  /** @type {Record<string, unknown>} */
  const body = {};
  for (const f of fields) {
    const v = values[f.name];
    if (f.custom) {
      if (v !== undefined) body[f.name] = v;
      continue;
    }
    if (v === undefined || v === '') continue;
    if (f.type === 'number') body[f.name] = /^-?\d+$/.test(v) ? Number(v) : v;
    else if (f.type === 'decimal') body[f.name] = /^-?\d+(\.\d+)?$/.test(String(v).trim()) ? Number(v) : v;
    else if (f.type === 'datetime') body[f.name] = Number.isNaN(Date.parse(v)) ? v : new Date(v).toISOString();
    else body[f.name] = v;
  }
  return body;
}

/** An ISO time → the value a datetime-local input shows (local time, minutes). */
export function localInput(/** @type {string | null | undefined} */ iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/**
 * @param {{
 *   id: string, title: string, fields: Field[], initial?: Record<string, any>, submitLabel: string,
 *   submit: (body: Record<string, unknown>) => Promise<any>, onDone: (result: any) => void, onCancel?: () => void
 * }} props
 */
export function AdminForm({ id, title, fields, initial = {}, submitLabel, submit, onDone, onCancel }) {
  const [values, setValues] = useState(/** @type {Record<string, any>} */ ({ ...initial }));
  const [errors, setErrors] = useState(/** @type {Record<string, string>} */ ({}));
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (/** @type {string} */ name, /** @type {any} */ value) => setValues((prev) => ({ ...prev, [name]: value }));
  // After a refusal, the keyboard goes to the first field the API named.
  useEffect(() => {
    const first = document.querySelector(`#${id} [aria-invalid="true"]`);
    if (first instanceof HTMLElement) first.focus();
  }, [errors]);

  const onSubmit = async (/** @type {Event} */ e) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFormError('');
    try {
      onDone(await submit(toBody(fields, values)));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const byField = fieldErrors(err);
      const known = Object.fromEntries(Object.entries(byField).filter(([name]) => fields.some((f) => f.name === name)));
      setErrors(known);
      // Whatever the API said that belongs to no field here is still shown, never swallowed.
      if (Object.keys(known).length === 0) setFormError(err.message);
      else setFormError(t('admin.form.fix'));
    } finally {
      setBusy(false);
    }
  };

  return html`<form class="admin-form panel" id=${id} novalidate onSubmit=${onSubmit} aria-labelledby=${`${id}-title`}>
    <h2 id=${`${id}-title`}>${title}</h2>
    <div class="admin-fields">
      ${fields.map((f) => fieldView(id, f, values[f.name], (v) => set(f.name, v), errors[f.name]))}
    </div>
    ${formError && html`<p class="form-error" role="alert">${formError}</p>`}
    <div class="admin-actions">
      <button type="submit" class="primary" disabled=${busy}>${submitLabel}</button>
      ${onCancel && html`<button type="button" class="ghost" onClick=${onCancel}>${t('admin.cancel')}</button>`}
    </div>
  </form>`;
}

/**
 * @param {string} formId @param {Field} f @param {any} value @param {(v: any) => void} set @param {string | undefined} error
 */
function fieldView(formId, f, value, set, error) {
  const id = `${formId}-${f.name}`;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errorId : '', f.hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, name: f.name, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': describedBy };
  let control;
  if (f.custom) control = f.custom({ id, value, set, describedBy, invalid: Boolean(error) });
  else if (f.type === 'select') {
    control = html`<select ...${common} value=${value ?? ''} onChange=${(/** @type {any} */ e) => set(e.currentTarget.value)}>
      ${(f.options ?? []).map((o) => html`<option value=${o.value}>${o.label}</option>`)}
    </select>`;
  } else {
    const numeric = f.type === 'number' || f.type === 'decimal';
    const type = f.type === 'datetime' ? 'datetime-local' : numeric ? 'text' : (f.type ?? 'text');
    control = html`<input
      ...${common}
      type=${type}
      inputmode=${f.type === 'number' ? 'numeric' : f.type === 'decimal' ? 'decimal' : undefined}
      autocomplete=${f.autocomplete ?? 'off'}
      value=${value ?? ''}
      onInput=${(/** @type {any} */ e) => set(e.currentTarget.value)}
    />`;
  }
  return html`<div class=${`field${error ? ' has-error' : ''}${f.custom ? ' wide' : ''}`}>
    ${f.custom ? html`<span class="label" id=${`${id}-label`}>${f.label}</span>` : html`<label for=${id}>${f.label}</label>`}
    ${control}
    ${f.hint && html`<p class="hint small muted" id=${hintId}>${f.hint}</p>`}
    ${error && html`<p class="field-error" id=${errorId}>${error}</p>`}
  </div>`;
}
