import type { RouteModule } from '../deps.ts';

/** Resources served by src/alerts; each resource may live in its own file registered here. */
export const alertsRoutes: RouteModule = (_app, _deps) => {};
