// Boots the console: who is logged in (from the API, never from the page), the texts, the
// navigation of that role, the live stream, and the view the address asks for.
import { api, setCsrfToken } from './api.js';
import { onSoundChange, soundState, toggleSound, unlockAudioOnGesture, watchForLooks } from './attention.js';
import { h, replace } from './dom.js';
import { startTicking } from './format.js';
import { label, lang, loadMessages, setLanguage, t } from './i18n.js';
import { connectLive, onLiveStatus } from './live.js';
import { startPagingBanner } from './paging-banner.js';
import { preloadAlarmView, ROUTES, routesFor } from './routes.js';
import { openMostUrgentOnKey, watchForNewAlarms } from './views/queue.js';

/** @typedef {{ userId: string, name: string, role: string, csrfToken: string | null }} Session */

async function boot() {
  await loadMessages();
  /** @type {Session} */
  const session = await api('/api/console/session');
  setCsrfToken(session.csrfToken);
  const allowed = routesFor(session.role);
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  const view = h('main', { id: 'view', tabindex: '-1' });
  replace(app, cutOffBanner(), topbar(session, allowed), view);
  document.title = t('app.name');
  startTicking();
  watchForLooks();
  unlockAudioOnGesture();
  if (session.role !== 'analyst') connectLive();
  if (session.role === 'operator' || session.role === 'supervisor') {
    showDeliveryWarning(app);
    watchForNewAlarms();
    openMostUrgentOnKey();
    startPagingBanner();
  }

  /** @type {(() => void) | undefined} */
  let cleanup;
  /** @type {() => void} */
  let shown = () => {};
  /** The first view on screen: the queue for those who handle alarms. */
  const firstShown = new Promise((resolve) => {
    shown = () => resolve(undefined);
  });
  const render = async () => {
    cleanup?.();
    cleanup = undefined;
    const path = window.location.hash.replace(/^#/, '') || '';
    const match = matchRoute(path, allowed);
    if (!match) {
      window.location.replace(`#${allowed[0]?.path ?? '/'}`);
      return;
    }
    for (const a of document.querySelectorAll('.nav a')) {
      const current = a.getAttribute('href') === `#${match.route.nav ?? match.route.path}`;
      if (current) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    replace(view, h('p', { class: 'muted' }, t('common.loading')));
    cleanup = await match.route.render(view, match.params, session);
    shown();
  };
  window.addEventListener('hashchange', render);
  // Only once the queue has painted: loading the alarm page earlier competed with it.
  if (session.role === 'operator' || session.role === 'supervisor') void firstShown.then(preloadAlarmView);
  await render();
}

/**
 * @param {string} path
 * @param {typeof ROUTES} allowed
 */
function matchRoute(path, allowed) {
  for (const route of allowed) {
    const names = /** @type {string[]} */ ([]);
    const source = route.path.replace(/:(\w+)/g, (_, n) => {
      names.push(n);
      return '([^/]+)';
    });
    const pattern = new RegExp(`^${source}$`);
    const m = pattern.exec(path);
    if (m) return { route, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')])) };
  }
  return undefined;
}

/**
 * Issue 14 §1: while SMS or calls have no carrier, a standing banner says those messages are
 * not sent, so nobody reads an outbox entry as a person reached.
 * @param {HTMLElement} app
 */
function showDeliveryWarning(app) {
  api('/api/console/delivery')
    .then((/** @type {{ sms: boolean, voice: boolean }} */ d) => {
      if (d.sms && d.voice) return;
      const key = !d.sms && !d.voice ? 'delivery.banner' : !d.sms ? 'delivery.bannerSms' : 'delivery.bannerVoice';
      app.querySelector('.topbar')?.after(h('div', { class: 'delivery-banner', id: 'delivery-banner', role: 'status' }, t(key)));
    })
    .catch(() => {});
}

/**
 * Issue 14 §2: while the live stream is cut off, a red warning across the page says plainly that
 * new alarms are not being shown (the top bar's dot alone went unnoticed).
 */
function cutOffBanner() {
  const banner = h('div', { class: 'cutoff-banner', id: 'cutoff-banner', role: 'alert', hidden: true }, t('live.cutOff'));
  onLiveStatus((state) => {
    banner.hidden = state !== 'down';
    document.body.classList.toggle('is-cut-off', state === 'down');
  });
  return banner;
}

/**
 * @param {Session} session
 * @param {typeof ROUTES} allowed
 */
function topbar(session, allowed) {
  const liveStatus = h('span', { class: 'live-status is-down', role: 'status' }, t('live.reconnecting'));
  onLiveStatus((state) => {
    liveStatus.textContent = state === 'connected' ? t('live.connected') : t('live.reconnecting');
    liveStatus.classList.toggle('is-down', state !== 'connected');
  });
  const sound = h('button', { type: 'button', class: 'ghost', title: t('sound.toggle'), onclick: toggleSound });
  const paintSound = () => {
    const state = soundState();
    sound.textContent = t(`sound.${state}`);
    sound.classList.toggle('is-warning', state === 'blocked');
    sound.setAttribute('aria-pressed', String(state !== 'off'));
  };
  onSoundChange(paintSound);
  paintSound();
  const other = lang() === 'es' ? 'en' : 'es';
  const language = h(
    'button',
    {
      type: 'button',
      class: 'ghost',
      lang: other,
      title: t('lang.switch'),
      onclick: () => {
        setLanguage(other);
        window.location.reload();
      },
    },
    t('lang.other'),
  );
  const handlesAlarms = session.role === 'operator' || session.role === 'supervisor';
  // A button, not a #link: the address fragment is the router's.
  const skip = h('button', { type: 'button', class: 'skip', onclick: () => document.getElementById('view')?.focus() }, t('nav.skip'));
  return h(
    'header',
    { class: 'topbar' },
    skip,
    h('span', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), t('app.name')),
    h(
      'nav',
      { class: 'nav', 'aria-label': t('nav.label') },
      allowed.filter((r) => r.navKey).map((r) => h('a', { href: `#${r.path}`, id: `nav-${r.navKey}` }, t(r.navLabel ?? `nav.${r.navKey}`))),
    ),
    h(
      'div',
      { class: 'topbar-tools' },
      handlesAlarms || session.role === 'technician' ? liveStatus : null,
      handlesAlarms ? sound : null,
      language,
      h('span', { class: 'who' }, t('nav.user', { name: session.name, role: label('role', session.role) })),
      h('form', { method: 'post', action: '/logout', class: 'logout' }, h('button', { type: 'submit', class: 'ghost' }, t('nav.logout'))),
    ),
  );
}

boot().catch((err) => {
  const app = document.getElementById('app');
  if (app) replace(app, h('p', { class: 'boot error', role: 'alert' }, t('app.error', { message: err.message })));
});
