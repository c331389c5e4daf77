// One EventSource per page for the whole console. Views subscribe to it; when the connection
// comes back after a drop they are told to reload, since events may have been missed meanwhile.

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
  'notification.changed',
  'outbox.message',
  'device.state.changed',
  'alarm.journaled',
];

/** @typedef {{ event: string, data: Record<string, unknown> }} LiveMessage */
/** @type {Set<(m: LiveMessage) => void>} */
const listeners = new Set();
/** @type {Set<(state: 'connected' | 'reconnecting') => void>} */
const statusListeners = new Set();
let source = /** @type {EventSource | null} */ (null);
let droppedOnce = false;

let state = /** @type {'connected' | 'reconnecting'} */ ('reconnecting');

export function connectLive() {
  if (source) return;
  source = new EventSource('/api/stream', { withCredentials: true });
  for (const name of EVENTS) {
    source.addEventListener(name, (e) => {
      const data = JSON.parse(/** @type {MessageEvent} */ (e).data);
      for (const fn of listeners) fn({ event: name, data });
    });
  }
  source.addEventListener('open', () => {
    setState('connected');
    // After a drop, anything may have happened: views refetch.
    if (droppedOnce) for (const fn of listeners) fn({ event: 'resync', data: {} });
  });
  source.addEventListener('error', () => {
    droppedOnce = true;
    setState('reconnecting');
    // EventSource retries by itself unless the server refused (a 401 when the session ended):
    // then check the session (the API sends us to the login page) and start over.
    if (source && source.readyState === EventSource.CLOSED) {
      source = null;
      window.setTimeout(() => {
        fetch('/api/console/session', { credentials: 'same-origin' })
          .then((res) => {
            if (res.status === 401) window.location.assign('/login');
            else connectLive();
          })
          .catch(() => connectLive());
      }, 3000);
    }
  });
}

/** @param {'connected' | 'reconnecting'} next */
function setState(next) {
  state = next;
  for (const fn of statusListeners) fn(next);
}

export const liveState = () => state;

/** @param {(m: LiveMessage) => void} fn @returns {() => void} */
export function onLive(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** @param {(state: 'connected' | 'reconnecting') => void} fn */
export function onLiveStatus(fn) {
  statusListeners.add(fn);
}
