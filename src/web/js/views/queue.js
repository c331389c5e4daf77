// The operator's live queue: open alarms by severity then age, tasks to check on people whose
// device went silent. Refreshed from the stream, never by polling or reloading.
import { api } from '../api.js';
import { alertNewAlarm } from '../attention.js';
import { h, link, replace, seg } from '../dom.js';
import { dateTime, since } from '../format.js';
import { label, t } from '../i18n.js';
import { liveState, onLive } from '../live.js';
import { columnHeads } from './column-heads.js';

/** Without the stream (a network drop), the queue still refreshes this often. */
const FALLBACK_REFRESH_MS = 15_000;

export const TASK_KIND = 'device_offline';
const SEVERITY_RANK = /** @type {Record<string, number>} */ ({ critical: 0, high: 1, low: 2 });

/** @typedef {{ id: string, deviceId: string, kind: string, severity: string, state: string, test: boolean, raisedAt: string, receivedAt: string, pressCount: number, alias: string | null }} Alarm */

/**
 * Real alarms before test presses (a monthly test must never keep someone in danger waiting),
 * then the most severe, then the one waiting longest.
 */
export const byUrgency = (/** @type {Alarm} */ a, /** @type {Alarm} */ b) =>
  Number(a.test) - Number(b.test) ||
  (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) ||
  Date.parse(a.receivedAt) - Date.parse(b.receivedAt);

/** @param {HTMLElement} el */
export async function renderQueue(el) {
  return live(el, true);
}

/** @param {HTMLElement} el */
export async function renderTasks(el) {
  return live(el, false);
}

/**
 * @param {HTMLElement} el
 * @param {boolean} withAlarms
 */
async function live(el, withAlarms) {
  /** @type {Set<string>} */
  const fresh = new Set();
  let timer = /** @type {number | undefined} */ (undefined);
  const load = async () => {
    /** @type {{ items: Alarm[] }} */
    const { items: open } = await api('/api/console/queue');
    const alarms = open.filter((a) => a.kind !== TASK_KIND).sort(byUrgency);
    const tasks = open.filter((a) => a.kind === TASK_KIND).sort(byUrgency);
    updateBadge('nav-queue', 'nav.queue', alarms.length);
    updateBadge('nav-tasks', 'nav.tasks', tasks.length);
    replace(el, withAlarms ? alarmTable(alarms, fresh) : null, taskTable(tasks));
  };
  const off = onLive((m) => {
    if (m.event === 'alarm.opened' && m.data.kind !== TASK_KIND) fresh.add(String(m.data.alarmId));
    if (m.event.startsWith('alarm.') || m.event === 'resync') {
      // Several events arrive together when an alarm opens: one fetch for the burst.
      window.clearTimeout(timer);
      timer = window.setTimeout(() => load().catch(showError(el)), 50);
    }
  });
  // A safety net only: while the stream is connected, events drive every refresh.
  const fallback = window.setInterval(() => {
    if (liveState() !== 'connected') load().catch(showError(el));
  }, FALLBACK_REFRESH_MS);
  await load();
  return () => {
    off();
    window.clearTimeout(timer);
    window.clearInterval(fallback);
  };
}

/**
 * A failed refresh keeps the last queue on screen under a warning: an operator must never face
 * an empty page because one request failed.
 * @param {HTMLElement} el
 */
const showError = (el) => (/** @type {Error} */ err) => {
  el.querySelector('.queue-error')?.remove();
  el.prepend(h('p', { class: 'error queue-error', role: 'alert' }, t('queue.stale', { message: err.message })));
};

/** The navigation counts what waits in each list, so nothing hides on the other page. */
function updateBadge(/** @type {string} */ id, /** @type {string} */ key, /** @type {number} */ count) {
  const nav = document.getElementById(id);
  if (nav) nav.textContent = count > 0 ? `${t(key)} (${count})` : t(key);
}

/**
 * @param {Alarm[]} alarms
 * @param {Set<string>} fresh
 */
function alarmTable(alarms, fresh) {
  const section = h('section', { class: 'panel queue', 'aria-labelledby': 'queue-title' });
  section.append(
    h('div', { class: 'panel-head' }, h('h1', { id: 'queue-title' }, t('queue.title')), h('p', { class: 'muted small' }, t('queue.hint'))),
  );
  if (alarms.length === 0) {
    section.append(h('p', { class: 'empty', id: 'queue-empty' }, t('queue.empty')));
    return section;
  }
  const rows = alarms.map((a) =>
    h(
      'tr',
      { class: `sev-${a.severity}${fresh.has(a.id) ? ' is-new' : ''}`, dataset: { alarmId: a.id } },
      h('td', null, h('span', { class: `badge sev sev-${a.severity}` }, label('severity', a.severity))),
      h(
        'td',
        { class: 'kind' },
        link(
          `/alarm/${seg(a.id)}`,
          { class: 'row-link', 'aria-label': `${t('queue.open')}: ${label('kind', a.kind)}, ${a.alias ?? a.deviceId}` },
          label('kind', a.kind),
        ),
        a.test ? h('span', { class: 'badge test' }, t(mayBeReal(a) ? 'queue.testPossiblyReal' : 'queue.test')) : null,
        fresh.has(a.id) ? h('span', { class: 'badge new' }, t('queue.new')) : null,
      ),
      h('td', { class: 'alias' }, a.alias ?? t('common.none')),
      h('td', null, h('span', { class: `badge state state-${a.state}` }, label('state', a.state))),
      h('td', { class: 'mono' }, a.deviceId),
      h('td', { class: 'since mono', dataset: { since: a.receivedAt }, title: dateTime(a.receivedAt) }, since(a.receivedAt)),
      h('td', { class: 'num' }, String(a.pressCount)),
    ),
  );
  const table = h(
    'table',
    { class: 'grid', id: 'alarm-queue' },
    h('caption', { class: 'sr-only' }, t('queue.caption')),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ['queue.severity', 'queue.kind', 'queue.person', 'queue.state', 'queue.device', 'queue.since', 'queue.presses'].map((k) =>
          h('th', { scope: 'col' }, t(k)),
        ),
      ),
    ),
    h('tbody', { onkeydown: moveWithArrows }, rows),
  );
  section.append(h('div', { class: 'table-wrap' }, table));
  return section;
}

/** ↑/↓ move between alarms of the queue without the mouse. */
function moveWithArrows(/** @type {KeyboardEvent} */ e) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const links = [...document.querySelectorAll('#alarm-queue .row-link')];
  const i = links.indexOf(/** @type {Element} */ (document.activeElement));
  const next = links[Math.max(0, Math.min(links.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)))];
  if (next) {
    e.preventDefault();
    /** @type {HTMLElement} */ (next).focus();
  }
}

/** @param {Alarm[]} tasks */
function taskTable(tasks) {
  const section = h('section', { class: 'panel tasks', 'aria-labelledby': 'tasks-title' });
  section.append(
    h(
      'div',
      { class: 'panel-head' },
      h('h2', { id: 'tasks-title' }, t('tasks.title')),
      h('p', { class: 'muted small' }, t('tasks.caption')),
    ),
  );
  if (tasks.length === 0) {
    section.append(h('p', { class: 'empty' }, t('tasks.empty')));
    return section;
  }
  const rows = tasks.map((a) =>
    h(
      'tr',
      { dataset: { alarmId: a.id } },
      h('td', null, link(`/alarm/${seg(a.id)}`, { class: 'row-link' }, a.alias ?? a.deviceId)),
      h('td', { class: 'mono' }, a.deviceId),
      h('td', null, h('span', { class: `badge state state-${a.state}` }, label('state', a.state))),
      // A task's raisedAt is when the device fell silent, not when the task was written.
      h('td', { class: 'mono', title: dateTime(a.raisedAt) }, h('span', { dataset: { since: a.raisedAt } }, since(a.raisedAt))),
    ),
  );
  section.append(
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'grid', id: 'task-list' },
        h('caption', { class: 'sr-only' }, t('tasks.caption')),
        columnHeads(['tasks.person', 'tasks.device', 'tasks.state', 'tasks.since']),
        h('tbody', null, rows),
      ),
    ),
  );
  return section;
}

/**
 * Key N, anywhere in the console: open the most urgent open alarm (real before test, severity,
 * then age), so the next alarm is one key away after resolving one.
 */
export function openMostUrgentOnKey() {
  document.addEventListener('keydown', async (e) => {
    if (e.key.toLowerCase() !== 'n' || e.ctrlKey || e.metaKey || e.altKey) return;
    if (/** @type {HTMLElement} */ (e.target).closest('input, textarea, select')) return;
    e.preventDefault();
    /** @type {{ items: Alarm[] }} */
    const { items } = await api('/api/console/queue');
    const next = items.filter((a) => a.kind !== TASK_KIND).sort(byUrgency)[0];
    if (next) window.location.hash = `#/alarm/${seg(next.id)}`;
  });
}

/** New alarms sound and blink wherever the operator is in the console. */
export function watchForNewAlarms() {
  let timer = /** @type {number | undefined} */ (undefined);
  onLive((m) => {
    // A new alarm, a repeat press and a raised severity (possible seizure) all call for eyes now.
    const urgent =
      (m.event === 'alarm.opened' && m.data.kind !== TASK_KIND) || m.event === 'alarm.press_joined' || m.event === 'alarm.escalated';
    if (urgent) alertNewAlarm();
    // Issue 13: a press this server holds in its journal while the database is away — not in the
    // queue yet, but the operator must know now.
    if (m.event === 'alarm.journaled') {
      alertNewAlarm();
      showJournaledBanner(m.data);
      return;
    }
    // Away from the queue (working another alarm, say), the counts and a banner still say so.
    if (!m.event.startsWith('alarm.') || document.getElementById('alarm-queue') || document.getElementById('queue-empty')) return;
    if (urgent) showBanner();
    window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      /** @type {{ items: Alarm[] }} */
      const { items } = await api('/api/console/queue');
      updateBadge('nav-queue', 'nav.queue', items.filter((a) => a.kind !== TASK_KIND).length);
      updateBadge('nav-tasks', 'nav.tasks', items.filter((a) => a.kind === TASK_KIND).length);
    }, 300);
  });
  window.addEventListener('hashchange', () => document.getElementById('new-alarm-banner')?.remove());
}

function showBanner() {
  if (document.getElementById('new-alarm-banner')) return;
  const view = document.getElementById('view');
  view?.before(
    h('p', { id: 'new-alarm-banner', class: 'banner', role: 'alert' }, t('queue.banner'), ' ', link('/queue', {}, t('queue.bannerLink'))),
  );
}

/** Issue 15: a person's press (panic, duress, SOS) on a device on test may be real (src/domain/alarm.ts). */
const mayBeReal = (a) => a.test && ['panic', 'duress', 'sos'].includes(a.kind);

/** @param {Record<string, unknown>} data */
function showJournaledBanner(data) {
  document.getElementById('journaled-alarm-banner')?.remove();
  const vars = {
    device: String(data.deviceId),
    kind: label('kind', String(data.kind)),
    at: dateTime(Number(data.receivedAt)),
    pending: Number(data.pending),
  };
  document
    .getElementById('view')
    ?.before(h('p', { id: 'journaled-alarm-banner', class: 'banner', role: 'alert' }, t('queue.journaledBanner', vars)));
}
