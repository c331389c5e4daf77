import type { RouteModule } from '../deps.ts';

/** The browser console (src/web): login, session, static assets. */
export const consoleRoutes: RouteModule = (_app, _deps) => {};
