// One alarm, everything an operator needs to act: who (alias), whom to call, where, whom never
// to send, what the engine did and how each notification fared — and the four actions, each
// with a button and a key.
import { ApiError, api } from '../api.js';
import { acknowledgeAttention } from '../attention.js';
import { h, link, replace, seg } from '../dom.js';
import { dateTime, since } from '../format.js';
import { label, t } from '../i18n.js';
import { onLive } from '../live.js';
import { createAlarmMap } from '../map/alarm-map.js';
import { actionPlanPanel } from './action-plan.js';
import { checkInFact } from './alarm-check-in.js';
import { clockFact } from './alarm-clock.js';
import { createDispatchConfirm } from './alarm-dispatch.js';
import { createNotesPanel, notesAsTimeline } from './alarm-notes.js';
import { aggressorsPanel, contactsPanel, personPanel } from './alarm-panels.js';
import { notificationsPanel, timelinePanel } from './alarm-timeline.js';
import { dispatchText } from './dispatch-outcome.js';

const OUTCOMES = ['genuine', 'false_alarm', 'test', 'technical'];

/** @typedef {{ id: string, deviceId: string, kind: string, severity: string, state: string, test: boolean, policy: string | null,
 *   raisedAt: string, receivedAt: string, pressCount: number, timeline: any[], notifications: any[] }} AlarmDetail */

/**
 * @param {HTMLElement} el
 * @param {{ id: string }} params
 * @param {{ userId: string }} session
 */
export async function renderAlarm(el, params, session) {
  const id = params.id;
  const status = h('p', { class: 'flash', role: 'status', id: 'alarm-status' });
  /** @type {AlarmDetail | undefined} */
  let alarm;
  /** @type {any} */
  let context;
  /** @type {any[]} */
  let notes = [];

  const load = async () => {
    // The alarm itself must show even if its person's details cannot be read right now.
    [alarm, context, notes] = await Promise.all([
      api(`/api/alarms/${seg(id)}`),
      api(`/api/console/alarms/${seg(id)}/context`).catch((/** @type {Error} */ err) => {
        status.textContent = t('alarm.contextFailed', { message: err.message });
        return null;
      }),
      api(`/api/alarms/${seg(id)}/notes`).catch(() => []),
    ]);
    paint();
  };

  const act = async (/** @type {string} */ path, /** @type {unknown} */ body = {}) => {
    let conflict = false;
    try {
      const done = await api(`/api/alarms/${seg(id)}/${path}`, { method: 'POST', body });
      status.textContent = path === 'dispatch' ? dispatchText(done?.dispatch, context) : t(`done.${path}`);
    } catch (err) {
      conflict = err instanceof ApiError && err.status === 409;
      if (conflict) status.textContent = t('alarm.conflict');
      else status.textContent = t('common.error', { message: /** @type {Error} */ (err).message });
    }
    await load();
    // Issue 18: a resolution refused because the plan has open steps says so, not "someone else acted".
    const open = openPlanSteps(alarm);
    if (conflict && path === 'resolve' && alarm?.state !== 'resolved' && open > 0)
      status.textContent = t('alarm.planOpen', { count: open });
  };

  // Built once: a repaint from the live stream must not wipe a note being typed.
  const resolveForm = resolvePanel(async (outcome, note) => {
    await act('resolve', { outcome, ...(note ? { note } : {}) });
    resolveForm.close();
  });
  // Dispatch pages an authority: one more deliberate step than a key press (a confirmation).
  const dispatchConfirm = createDispatchConfirm(() => act('dispatch'));
  const map = createAlarmMap();
  const notesPanel = createNotesPanel(id, () => load().catch(() => {}));

  const plan = actionPlanPanel(id, session, () => load());

  const paint = () => {
    if (!alarm) return;
    const a = alarm;
    const focusedKey = /** @type {HTMLElement | null} */ (document.activeElement)?.dataset?.key;
    replace(
      el,
      h(
        'div',
        { class: 'alarm-head' },
        link('/queue', { class: 'back' }, `← ${t('common.back')}`),
        h(
          'h1',
          { id: 'alarm-title', tabindex: '-1' },
          h('span', { class: `badge sev sev-${a.severity}` }, label('severity', a.severity)),
          ' ',
          t('alarm.title', { kind: label('kind', a.kind) }),
          a.test ? h('span', { class: 'badge test' }, t(mayBeReal(a) ? 'queue.testPossiblyReal' : 'queue.test')) : null,
        ),
        h(
          'dl',
          { class: 'facts inline' },
          fact(t('queue.state'), h('span', { class: `badge state state-${a.state}`, id: 'alarm-state' }, label('state', a.state))),
          fact(
            t('alarm.since'),
            h('span', { class: 'mono big', dataset: a.state === 'resolved' ? {} : { since: a.receivedAt } }, since(a.receivedAt)),
          ),
          fact(t('alarm.raised'), dateTime(a.receivedAt)),
          clockFact(a),
          checkInFact(a),
          fact(t('alarm.device'), h('span', { class: 'mono' }, a.deviceId)),
          fact(t('alarm.presses'), String(a.pressCount)),
          a.policy ? fact(t('alarm.policy'), a.policy) : null,
        ),
      ),
      actionBar(
        a,
        act,
        () => resolveForm.open(),
        () => dispatchConfirm.open(context),
      ),
      status,
      dispatchConfirm.el,
      resolveForm.el,
      h(
        'div',
        { class: 'alarm-grid' },
        plan.render(/** @type {any} */ (a).plan, a.state),
        personPanel(context?.beneficiary ?? null),
        contactsPanel(context?.contacts ?? []),
        map.el,
        aggressorsPanel(context?.beneficiary?.presumedAggressors ?? [], context?.responders ?? []),
        notesPanel.el,
        timelinePanel(mergeByTime(a.timeline, notesAsTimeline(notes)), context, session.userId, a.notifications),
        notificationsPanel(a.notifications, context),
      ),
      h(
        'p',
        null,
        h('a', { href: `/api/alarms/${seg(a.id)}/evidence`, download: `evidence-${a.id}.json`, class: 'quiet-link' }, t('alarm.evidence')),
      ),
    );
    map.update(a, context).catch(() => {});
    notesPanel.update(callees(context));
    // Keep the keyboard where it was across a repaint.
    if (focusedKey) /** @type {HTMLElement | null} */ (el.querySelector(`[data-key="${focusedKey}"]`))?.focus();
  };

  /** Keys work anywhere on the page except while typing (Esc also while the alarm is still loading). */
  const onKey = (/** @type {KeyboardEvent} */ e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const target = /** @type {HTMLElement} */ (e.target);
    if (target.closest('input, textarea, select')) return;
    const key = e.key.toLowerCase();
    const button = el.querySelector(`[data-key="${key}"]`);
    if (button instanceof HTMLButtonElement && !button.disabled) {
      e.preventDefault();
      button.click();
    } else if (e.key === 'Escape') {
      if (dispatchConfirm.isOpen()) dispatchConfirm.close();
      else window.location.hash = '#/queue';
    }
  };
  document.addEventListener('keydown', onKey);
  const off = onLive((m) => {
    if (m.event === 'resync' || m.data.alarmId === id) load().catch(() => {});
  });
  // Opening the alarm is looking at it.
  acknowledgeAttention();
  await load();
  /** @type {HTMLElement | null} */ (el.querySelector('h1'))?.focus();
  return () => {
    document.removeEventListener('keydown', onKey);
    off();
    map.destroy();
  };
}

/** Whom an operator may call from this alarm: contacts, and responders that are not aggressors (P4). */
const callees = (/** @type {any} */ context) => [
  ...(context?.contacts ?? []).map((/** @type {any} */ c) => ({ name: c.name, phone: c.phone })),
  ...(context?.responders ?? [])
    .filter((/** @type {any} */ r) => !r.aggressor)
    .map((/** @type {any} */ r) => ({ name: r.name, phone: r.phone })),
];

/** Open steps of the alarm's action plan (issue 18). */
const openPlanSteps = (/** @type {any} */ a) =>
  (a?.plan?.steps ?? []).filter((/** @type {{ status: string }} */ s) => s.status === 'open').length;

/** @param {any[]} a @param {any[]} b */
const mergeByTime = (a, b) => [...a, ...b].sort((x, y) => Date.parse(x.at) - Date.parse(y.at));

/** @param {string} term @param {unknown} value */
const fact = (term, value) => h('div', null, h('dt', null, term), h('dd', null, value));

/**
 * @param {AlarmDetail} a
 * @param {(path: string, body?: unknown) => Promise<void>} act
 * @param {() => void} openResolve
 * @param {() => void} openDispatch
 */
function actionBar(a, act, openResolve, openDispatch) {
  const s = a.state;
  /** @param {string} key @param {string} text @param {boolean} enabled @param {() => void} run @param {string} extra */
  const button = (key, text, enabled, run, extra = '') =>
    h(
      'button',
      {
        type: 'button',
        class: `action ${extra}`,
        'data-key': key,
        'aria-keyshortcuts': key.toUpperCase(),
        disabled: !enabled,
        onclick: run,
      },
      text,
      h('kbd', { 'aria-hidden': 'true' }, key.toUpperCase()),
    );
  return h(
    'section',
    { class: 'actions', 'aria-label': t('alarm.actions') },
    button('a', t('alarm.acknowledge'), s === 'open', () => act('acknowledge'), 'primary'),
    button('d', t('alarm.dispatch'), s === 'open' || s === 'acknowledged', openDispatch),
    button('s', t('alarm.onScene'), s === 'dispatched', () => act('on-scene')),
    button('r', t('alarm.resolve'), s !== 'resolved', openResolve),
    h('p', { class: 'muted small shortcuts' }, t('alarm.shortcuts')),
  );
}

/** @param {(outcome: string, note: string) => Promise<void>} submit */
function resolvePanel(submit) {
  const note = h('textarea', { id: 'resolve-note', name: 'note', rows: '2', maxlength: '2000' });
  const form = h(
    'form',
    {
      class: 'panel resolve',
      id: 'resolve-form',
      hidden: true,
      'aria-labelledby': 'resolve-title',
      onsubmit: (/** @type {SubmitEvent} */ e) => {
        e.preventDefault();
        const data = new FormData(/** @type {HTMLFormElement} */ (e.currentTarget));
        submit(String(data.get('outcome')), String(data.get('note') ?? '').trim());
      },
    },
    h('h2', { id: 'resolve-title' }, t('alarm.resolveTitle')),
    h(
      'fieldset',
      null,
      h('legend', null, t('alarm.outcome')),
      // No outcome is preselected: the operator must choose one (a default would skew the reports).
      OUTCOMES.map((o) =>
        h(
          'label',
          { class: 'choice' },
          h('input', { type: 'radio', name: 'outcome', value: o, required: true, id: `outcome-${o}` }),
          label('outcome', o),
        ),
      ),
    ),
    h('label', { for: 'resolve-note' }, t('alarm.note')),
    note,
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'submit', class: 'primary' }, t('alarm.resolveSubmit')),
      h(
        'button',
        { type: 'button', class: 'ghost', 'aria-label': t('alarm.cancelResolve'), onclick: () => (form.hidden = true) },
        t('alarm.cancel'),
      ),
    ),
  );
  return {
    el: form,
    close: () => {
      form.hidden = true;
      /** @type {HTMLFormElement} */ (form).reset();
    },
    open: () => {
      form.hidden = false;
      /** @type {HTMLElement | null} */ (form.querySelector('input[name="outcome"]'))?.focus();
    },
  };
}

/** Issue 15: a person's press (panic, duress, SOS) on a device on test may be real (src/domain/alarm.ts). */
const mayBeReal = (a) => a.test && ['panic', 'duress', 'sos'].includes(a.kind);
