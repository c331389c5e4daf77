// What each role may open. The API enforces the same rules; this only keeps the navigation
// honest so no one is shown a section that would answer 403.
import { renderAdminAudit } from './views/admin-audit.js';
import { renderAdminBeneficiaries } from './views/admin-beneficiaries.js';
import { renderAdminContacts } from './views/admin-contacts.js';
import { renderAdminDevices } from './views/admin-devices.js';
import { renderAdminImport } from './views/admin-import.js';
import { renderAdminResponders } from './views/admin-responders.js';
import { renderAdminUsers } from './views/admin-users.js';
import { renderAlarm } from './views/alarm.js';
import { renderDevice } from './views/device.js';
import { renderFleet } from './views/fleet.js';
import { renderIncidents } from './views/incidents.js';
import { renderQueue, renderTasks } from './views/queue.js';
import { renderReports } from './views/reports.js';
import { renderReviews } from './views/reviews.js';

/**
 * @typedef {{ path: string, navKey?: string, navLabel?: string, nav?: string, roles: string[],
 *   render: (el: HTMLElement, params: Record<string, string>, session: { userId: string, role: string }) => Promise<(() => void) | undefined> }} Route
 */

const HANDLERS = ['operator', 'supervisor'];
const DEVICE_READERS = ['technician', 'admin'];
const ADMIN = ['admin'];

/** @type {Route[]} */
export const ROUTES = [
  // Administration first: it is where an administrator lands. One top-level entry; the pages
  // share a second row of links (src/web/js/admin/parts.js).
  { path: '/admin/devices', navKey: 'admin', navLabel: 'admin.nav', roles: ADMIN, render: renderAdminDevices },
  { path: '/admin/beneficiaries', nav: '/admin/devices', roles: ADMIN, render: renderAdminBeneficiaries },
  { path: '/admin/contacts', nav: '/admin/devices', roles: ADMIN, render: renderAdminContacts },
  { path: '/admin/contacts/:beneficiaryId', nav: '/admin/devices', roles: ADMIN, render: renderAdminContacts },
  { path: '/admin/responders', nav: '/admin/devices', roles: ADMIN, render: renderAdminResponders },
  { path: '/admin/users', nav: '/admin/devices', roles: ADMIN, render: renderAdminUsers },
  { path: '/admin/audit', nav: '/admin/devices', roles: ADMIN, render: renderAdminAudit },
  { path: '/admin/import', nav: '/admin/devices', roles: ADMIN, render: renderAdminImport },
  { path: '/queue', navKey: 'queue', roles: HANDLERS, render: renderQueue },
  { path: '/tasks', navKey: 'tasks', roles: HANDLERS, render: renderTasks },
  { path: '/alarm/:id', nav: '/queue', roles: HANDLERS, render: renderAlarm },
  { path: '/reviews', navKey: 'reviews', roles: HANDLERS, render: renderReviews },
  { path: '/fleet', navKey: 'fleet', roles: DEVICE_READERS, render: renderFleet },
  { path: '/device/:id', nav: '/fleet', roles: DEVICE_READERS, render: renderDevice },
  { path: '/incidents', navKey: 'incidents', roles: DEVICE_READERS, render: renderIncidents },
  // Supervisors and administrators see reports whole; analysts with small groups suppressed (API).
  { path: '/reports', navKey: 'reports', roles: ['analyst', 'supervisor', 'admin'], render: renderReports },
];

/** @param {string} role */
export const routesFor = (role) => ROUTES.filter((r) => r.roles.includes(role));
