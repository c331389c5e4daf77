import type { RouteModule } from '../deps.ts';
import { alertsRoutes } from './alerts/index.ts';
import { consoleRoutes } from './console/index.ts';
import { healthRoutes } from './health/index.ts';
import { ingestRoutes } from './ingest/index.ts';
import { operationsRoutes } from './operations.ts';
import { auditRoutes } from './registry/audit.ts';
import { beneficiaryRoutes } from './registry/beneficiaries.ts';
import { beneficiaryAddressRoutes } from './registry/beneficiary-addresses.ts';
import { contactRoutes } from './registry/contacts.ts';
import { deviceModelRoutes } from './registry/device-models.ts';
import { deviceRoutes } from './registry/devices.ts';
import { importRoutes } from './registry/imports.ts';
import { responderRoutes } from './registry/responders.ts';
import { userRoutes } from './registry/users.ts';

/** Every API resource, registered in this order. A new resource is one file and one line here. */
export const ROUTE_MODULES: RouteModule[] = [
  operationsRoutes,
  deviceModelRoutes,
  deviceRoutes,
  beneficiaryRoutes,
  contactRoutes,
  responderRoutes,
  userRoutes,
  auditRoutes,
  importRoutes,
  beneficiaryAddressRoutes,
  ingestRoutes,
  alertsRoutes,
  healthRoutes,
  consoleRoutes,
];
