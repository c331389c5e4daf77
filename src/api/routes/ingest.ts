import type { RouteModule } from '../deps.ts';

/** Resources served by src/ingest; each resource may live in its own file registered here. */
export const ingestRoutes: RouteModule = (_app, _deps) => {};
