import type { RouteModule } from '../deps.ts';

/** Resources served by src/health; each resource may live in its own file registered here. */
export const healthRoutes: RouteModule = (_app, _deps) => {};
