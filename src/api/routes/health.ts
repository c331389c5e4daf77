import type { RouteModule } from '../deps.ts';
import { healthDeviceRoutes } from './health-devices.ts';
import { healthIncidentRoutes } from './health-incidents.ts';
import { healthJobRoutes } from './health-jobs.ts';
import { healthReportRoutes } from './health-reports.ts';

/** Resources served by src/health; each resource lives in its own file registered here. */
export const healthRoutes: RouteModule = async (app, deps) => {
  for (const module of [healthDeviceRoutes, healthIncidentRoutes, healthReportRoutes, healthJobRoutes]) await module(app, deps);
};
