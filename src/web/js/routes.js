// What each role may open. The API enforces the same rules; this only keeps the navigation
// honest so no one is shown a section that would answer 403.
import { renderAlarm } from './views/alarm.js';
import { renderDevice } from './views/device.js';
import { renderFleet } from './views/fleet.js';
import { renderIncidents } from './views/incidents.js';
import { renderOutOfProtection } from './views/out-of-protection.js';
import { renderQueue, renderTasks } from './views/queue.js';
import { renderReports } from './views/reports.js';
import { renderReviews } from './views/reviews.js';

/**
 * @typedef {{ path: string, navKey?: string, nav?: string, roles: string[],
 *   render: (el: HTMLElement, params: Record<string, string>, session: { userId: string, role: string }) => Promise<(() => void) | undefined> }} Route
 */

const HANDLERS = ['operator', 'supervisor'];
const DEVICE_READERS = ['technician', 'admin'];

/** @type {Route[]} */
export const ROUTES = [
  { path: '/queue', navKey: 'queue', roles: HANDLERS, render: renderQueue },
  { path: '/tasks', navKey: 'tasks', roles: HANDLERS, render: renderTasks },
  { path: '/alarm/:id', nav: '/queue', roles: HANDLERS, render: renderAlarm },
  { path: '/reviews', navKey: 'reviews', roles: HANDLERS, render: renderReviews },
  { path: '/fleet', navKey: 'fleet', roles: DEVICE_READERS, render: renderFleet },
  { path: '/device/:id', nav: '/fleet', roles: DEVICE_READERS, render: renderDevice },
  { path: '/incidents', navKey: 'incidents', roles: DEVICE_READERS, render: renderIncidents },
  // Supervisors and administrators see reports whole; analysts with small groups suppressed (API).
  { path: '/reports', navKey: 'reports', roles: ['analyst', 'supervisor', 'admin'], render: renderReports },
  // Issue 15: taking a person out of protection is visible to supervisors.
  { path: '/out-of-protection', navKey: 'outOfProtection', roles: ['supervisor', 'technician', 'admin'], render: renderOutOfProtection },
];

/** @param {string} role */
export const routesFor = (role) => ROUTES.filter((r) => r.roles.includes(role));
