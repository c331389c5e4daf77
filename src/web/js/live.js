// One EventSource per page for the whole console. Views subscribe to it; when the connection
// comes back after a drop they are told to reload, since events may have been missed meanwhile.
//
// Issue 14 §2: the console must know when it is cut off. The server sends a heartbeat
// every 3 s (src/api/routes/alerts/stream.ts); when none has arrived for 7 s, or the
// connection errors, the state is 'down' (main.js shows a red page-wide warning) and the
// console reconnects by itself.

const EVENTS = [
  'alarm.opened',
  'alarm.press_joined',
  'alarm.changed',
  'alarm.escalated',
  'alarm.responder_skipped',
  'alarm.responder_chosen',
  'alarm.no_safe_responder',
  'alarm.no_recipient',
  'alarm.step_skipped',
  'alarm.plan_changed',
  'notification.changed',
  'outbox.message',
  'device.state.changed',
  'alarm.journaled',
];

/** No heartbeat for this long: the stream is dead even if the socket has not said so. */
const SILENCE_MS = 7_000;
/** How often we check, and how soon we try again ourselves after giving up on a source. */
const CHECK_MS = 1_000;
const RETRY_MS = 2_000;

/** @typedef {{ event: string, data: Record<string, unknown> }} LiveMessage */
/** @typedef {'connecting' | 'connected' | 'down'} LiveState */
/** @type {Set<(m: LiveMessage) => void>} */
const listeners = new Set();
/** @type {Set<(state: LiveState) => void>} */
const statusListeners = new Set();
let source = /** @type {EventSource | null} */ (null);
let droppedOnce = false;
let lastBeat = Date.now();
let watchdog = 0;

let state = /** @type {LiveState} */ ('connecting');

export function connectLive() {
  if (source) return;
  const es = new EventSource('/api/stream', { withCredentials: true });
  source = es;
  lastBeat = Date.now();
  for (const name of EVENTS) {
    es.addEventListener(name, (e) => {
      lastBeat = Date.now();
      const data = JSON.parse(/** @type {MessageEvent} */ (e).data);
      for (const fn of listeners) fn({ event: name, data });
    });
  }
  // The heartbeat is the stream's only unnamed event (src/api/routes/alerts/stream.ts).
  es.addEventListener('message', () => {
    lastBeat = Date.now();
    // The first beat after a silence: the stream is back even if no `open` fired again.
    if (state !== 'connected') reconnected();
  });
  es.addEventListener('open', () => {
    lastBeat = Date.now();
    reconnected();
  });
  es.addEventListener('error', () => {
    if (source !== es) return;
    cutOff();
    // EventSource retries by itself unless the server refused (a 401 when the session ended):
    // then check the session (the API sends us to the login page) and start over.
    if (es.readyState === EventSource.CLOSED) restart(true);
  });
  if (!watchdog) watchdog = window.setInterval(checkSilence, CHECK_MS);
}

function reconnected() {
  const was = state;
  setState('connected');
  // After a drop, anything may have happened: views refetch (the queue reloads).
  if (droppedOnce && was !== 'connected') for (const fn of listeners) fn({ event: 'resync', data: {} });
}

function cutOff() {
  droppedOnce = true;
  setState('down');
}

function checkSilence() {
  if (Date.now() - lastBeat <= SILENCE_MS) return;
  // Silent for too long (a dead network rarely closes the socket): give up on this source.
  cutOff();
  restart(false);
}

/** @param {boolean} checkSession */
function restart(checkSession) {
  source?.close();
  source = null;
  lastBeat = Date.now();
  window.setTimeout(() => {
    if (!checkSession) return connectLive();
    fetch('/api/console/session', { credentials: 'same-origin' })
      .then((res) => {
        if (res.status === 401) window.location.assign('/login');
        else connectLive();
      })
      .catch(() => connectLive());
  }, RETRY_MS);
}

/** @param {LiveState} next */
function setState(next) {
  if (state === next) return;
  state = next;
  for (const fn of statusListeners) fn(next);
}

export const liveState = () => state;

/** @param {(m: LiveMessage) => void} fn @returns {() => void} */
export function onLive(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** @param {(state: LiveState) => void} fn */
export function onLiveStatus(fn) {
  statusListeners.add(fn);
}
