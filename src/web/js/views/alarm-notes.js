// Notes and the call log on an alarm: what the operator learnt, and each call — whom, which
// number, how it went. Saved to the server (audited) and shown on the timeline.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { seg } from '../dom.js';
import { html, render } from '../html.js';
import { label, t } from '../i18n.js';

const CALL_OUTCOMES = ['reached', 'no_answer', 'busy', 'voicemail', 'wrong_number'];

/**
 * @typedef {{ name: string, phone: string }} Callee
 * @typedef {{ alarmId: string, callees: Callee[], onSaved: () => void }} Props
 */

/** @param {{ onSubmit: (body: any) => Promise<void> }} props */
function NoteForm({ onSubmit }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (/** @type {Event} */ e) => {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    try {
      await onSubmit({ text: text.trim() });
      setText('');
    } catch {
      // The panel shows the server's reason; the text stays for another try.
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="note-form" id="note-form" onSubmit=${submit}>
    <label for="note-text">${t('notes.note')}</label>
    <textarea id="note-text" rows="2" maxlength="2000" required value=${text} onInput=${(/** @type {any} */ e) => setText(e.currentTarget.value)}></textarea>
    <button type="submit" disabled=${busy}>${t('notes.addNote')}</button>
  </form>`;
}

/** @param {{ callees: Callee[], onSubmit: (body: any) => Promise<void> }} props */
function CallForm({ callees, onSubmit }) {
  const [callee, setCallee] = useState('');
  const [phone, setPhone] = useState('');
  const [outcome, setOutcome] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const pick = (/** @type {string} */ name) => {
    setCallee(name);
    const known = callees.find((c) => c.name === name);
    if (known) setPhone(known.phone);
  };
  const submit = async (/** @type {Event} */ e) => {
    e.preventDefault();
    setBusy(true);
    try {
      await onSubmit({
        callee: callee.trim(),
        phone: phone.replace(/[\s()-]/g, ''),
        outcome,
        ...(text.trim() ? { text: text.trim() } : {}),
      });
      setCallee('');
      setPhone('');
      setOutcome('');
      setText('');
    } catch {
      // The panel shows the server's reason; what was typed stays for another try.
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="call-form" id="call-form" onSubmit=${submit}>
    <fieldset>
      <legend>${t('notes.logCall')}</legend>
      <label for="call-callee">${t('notes.callee')}</label>
      <input id="call-callee" list="call-callees" required maxlength="200" autocomplete="off" value=${callee}
        onInput=${(/** @type {any} */ e) => pick(e.currentTarget.value)} />
      <datalist id="call-callees">${callees.map((c) => html`<option value=${c.name}>${c.phone}</option>`)}</datalist>
      <label for="call-phone">${t('notes.phone')}</label>
      <input id="call-phone" type="tel" required maxlength="24" value=${phone} onInput=${(/** @type {any} */ e) => setPhone(e.currentTarget.value)} />
      <label for="call-outcome">${t('notes.outcome')}</label>
      <select id="call-outcome" required value=${outcome} onChange=${(/** @type {any} */ e) => setOutcome(e.currentTarget.value)}>
        <option value="" disabled>${t('notes.choose')}</option>
        ${CALL_OUTCOMES.map((o) => html`<option value=${o}>${label('call', o)}</option>`)}
      </select>
      <label for="call-text">${t('notes.callNote')}</label>
      <input id="call-text" maxlength="2000" value=${text} onInput=${(/** @type {any} */ e) => setText(e.currentTarget.value)} />
      <button type="submit" disabled=${busy}>${t('notes.saveCall')}</button>
    </fieldset>
  </form>`;
}

/** @param {Props} props */
function NotesPanel({ alarmId, callees, onSaved }) {
  const [error, setError] = useState('');
  const post = (/** @type {string} */ path) => async (/** @type {any} */ body) => {
    setError('');
    try {
      await api(`/api/alarms/${seg(alarmId)}/${path}`, { method: 'POST', body });
      onSaved();
    } catch (err) {
      setError(t('common.error', { message: /** @type {Error} */ (err).message }));
      throw err;
    }
  };
  return html`<section class="panel notes" id="notes" aria-labelledby="notes-title">
    <h2 id="notes-title">${t('notes.title')}</h2>
    <${NoteForm} onSubmit=${post('notes')} />
    <${CallForm} callees=${callees} onSubmit=${post('calls')} />
    ${error ? html`<p class="error" role="alert" id="notes-error">${error}</p>` : null}
  </section>`;
}

/**
 * A container rendered by Preact, built once per alarm view so a repaint from the live stream
 * keeps what is being typed.
 * @param {string} alarmId
 * @param {() => void} onSaved
 */
export function createNotesPanel(alarmId, onSaved) {
  const el = document.createElement('div');
  el.className = 'notes-host';
  /** @type {Callee[]} */
  let last = [];
  const paint = (/** @type {Callee[]} */ callees) => {
    last = callees;
    render(html`<${NotesPanel} alarmId=${alarmId} callees=${callees} onSaved=${onSaved} />`, el);
  };
  paint(last);
  return { el, update: paint };
}

/**
 * Notes and calls as timeline entries, so they sit among the engine's steps in time order.
 * @param {any[]} notes
 */
export const notesAsTimeline = (notes) =>
  notes.map((n) => ({
    seq: -1,
    at: n.at,
    kind: n.kind === 'call' ? 'call_logged' : 'note_added',
    actor: n.authorId,
    detail: { note: n.text, callee: n.callee, phone: n.phone, callOutcome: n.outcome },
  }));
