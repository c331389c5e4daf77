// What each role may open. The API enforces the same rules; this only keeps the navigation
// honest so no one is shown a section that would answer 403.
import { renderDevice } from './views/device.js';
import { renderFleet } from './views/fleet.js';
import { renderIncidents } from './views/incidents.js';
import { renderOutOfProtection } from './views/out-of-protection.js';
import { renderQueue, renderTasks } from './views/queue.js';
import { renderReports } from './views/reports.js';
import { renderReviews } from './views/reviews.js';
import { renderSuitability } from './views/suitability.js';

/**
 * @typedef {{ path: string, navKey?: string, navLabel?: string, nav?: string, roles: string[],
 *   render: (el: HTMLElement, params: Record<string, string>, session: { userId: string, role: string }) => Promise<(() => void) | undefined> }} Route
 */

const HANDLERS = ['operator', 'supervisor'];
const DEVICE_READERS = ['technician', 'admin'];
const ADMIN = ['admin'];

/**
 * Administration views, the alarm page and the alarm history (and Preact with them: the alarm
 * page's notes, dispatch confirmation and map are Preact) load on first use: the other roles'
 * consoles never download them, so the queue's first paint does not grow. Operators and
 * supervisors fetch the alarm page once their queue has shown (main.js, `preloadAlarmView`) so
 * opening one never waits.
 * @param {string} file @param {string} name @returns {Route['render']}
 */
const onDemand = (file, name) => async (el, params, session) => (await import(`./views/${file}.js`))[name](el, params, session);

/** How long the alarm page waits for an idle moment before it is fetched anyway. */
const PRELOAD_IDLE_TIMEOUT_MS = 5_000;

/** Resolves when the browser is idle, or after a moment where it cannot say (no requestIdleCallback). */
const whenIdle = () =>
  new Promise((resolve) => {
    if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(resolve, { timeout: PRELOAD_IDLE_TIMEOUT_MS });
    else window.setTimeout(resolve, 1_000);
  });

/**
 * Fetches the alarm page for a role that handles alarms once the browser is idle; main.js calls
 * it only after the first view (the queue) has painted. Fetched while the console was still
 * loading, on a stalled network its modules could hold the browser's few connections to the
 * server and keep the queue waiting. A failure shows when an alarm is opened.
 */
export const preloadAlarmView = () =>
  whenIdle()
    .then(() => import('./views/alarm.js'))
    .then(
      () => undefined,
      () => undefined,
    );

/** @type {Route[]} */
export const ROUTES = [
  // Administration first: it is where an administrator lands. One top-level entry; the pages
  // share a second row of links (src/web/js/admin/parts.js).
  { path: '/admin/devices', navKey: 'admin', navLabel: 'admin.nav', roles: ADMIN, render: onDemand('admin-devices', 'renderAdminDevices') },
  {
    path: '/admin/beneficiaries',
    nav: '/admin/devices',
    roles: ADMIN,
    render: onDemand('admin-beneficiaries', 'renderAdminBeneficiaries'),
  },
  { path: '/admin/contacts', nav: '/admin/devices', roles: ADMIN, render: onDemand('admin-contacts', 'renderAdminContacts') },
  {
    path: '/admin/contacts/:beneficiaryId',
    nav: '/admin/devices',
    roles: ADMIN,
    render: onDemand('admin-contacts', 'renderAdminContacts'),
  },
  { path: '/admin/responders', nav: '/admin/devices', roles: ADMIN, render: onDemand('admin-responders', 'renderAdminResponders') },
  { path: '/admin/users', nav: '/admin/devices', roles: ADMIN, render: onDemand('admin-users', 'renderAdminUsers') },
  { path: '/admin/audit', nav: '/admin/devices', roles: ADMIN, render: onDemand('admin-audit', 'renderAdminAudit') },
  { path: '/admin/import', nav: '/admin/devices', roles: ADMIN, render: onDemand('admin-import', 'renderAdminImport') },
  { path: '/queue', navKey: 'queue', roles: HANDLERS, render: renderQueue },
  { path: '/tasks', navKey: 'tasks', roles: HANDLERS, render: renderTasks },
  { path: '/alarm/:id', nav: '/queue', roles: HANDLERS, render: onDemand('alarm', 'renderAlarm') },
  { path: '/reviews', navKey: 'reviews', roles: HANDLERS, render: renderReviews },
  { path: '/history', navKey: 'history', roles: HANDLERS, render: onDemand('history', 'renderHistory') },
  // Issue 18: check-in timers set, watched and closed by those who answer alarms.
  { path: '/check-ins', navKey: 'checkIns', roles: HANDLERS, render: onDemand('check-ins', 'renderCheckIns') },
  { path: '/fleet', navKey: 'fleet', roles: DEVICE_READERS, render: renderFleet },
  { path: '/device/:id', nav: '/fleet', roles: DEVICE_READERS, render: renderDevice },
  { path: '/incidents', navKey: 'incidents', roles: DEVICE_READERS, render: renderIncidents },
  // Supervisors and administrators see reports whole; analysts with small groups suppressed (API).
  { path: '/reports', navKey: 'reports', roles: ['analyst', 'supervisor', 'admin'], render: renderReports },
  // Is each measure worth it here (issue 19): same readers and the same withholding as reports;
  // supervisors also see the people of open case reviews there.
  { path: '/suitability', navKey: 'suitability', roles: ['analyst', 'supervisor', 'admin'], render: renderSuitability },
  // Issue 15: taking a person out of protection is visible to supervisors.
  { path: '/out-of-protection', navKey: 'outOfProtection', roles: ['supervisor', 'technician', 'admin'], render: renderOutOfProtection },
];

/** @param {string} role */
export const routesFor = (role) => ROUTES.filter((r) => r.roles.includes(role));
