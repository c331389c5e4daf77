import type { RouteModule } from '../../deps.ts';
import { ingestGatewayRoutes } from './gateways.ts';
import { inreachRoutes } from './inreach.ts';
import { ingestTelemetryRoutes } from './telemetry.ts';

/** Resources served by src/ingest; each resource lives in its own file registered here. */
export const ingestRoutes: RouteModule = async (app, deps) => {
  await ingestTelemetryRoutes(app, deps);
  await ingestGatewayRoutes(app, deps);
  await inreachRoutes(app, deps);
};
