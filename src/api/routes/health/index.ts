import type { RouteModule } from '../../deps.ts';
import { devicePathRoutes } from './device-paths.ts';
import { healthDeviceRoutes } from './devices.ts';
import { healthIncidentRoutes } from './incidents.ts';
import { healthJobRoutes } from './jobs.ts';
import { healthReportRoutes } from './reports.ts';
import { serviceWindowRoutes } from './service-windows.ts';
import { healthSuitabilityRoutes } from './suitability.ts';

/** Resources served by src/health; each resource lives in its own file registered here. */
export const healthRoutes: RouteModule = async (app, deps) => {
  for (const module of [
    healthDeviceRoutes,
    healthIncidentRoutes,
    healthReportRoutes,
    healthSuitabilityRoutes,
    healthJobRoutes,
    serviceWindowRoutes,
    devicePathRoutes,
  ])
    await module(app, deps);
};
