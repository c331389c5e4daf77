import type { RouteModule } from '../deps.ts';
import { alarmHistoryRoutes } from './alerts/history.ts';
import { alarmNoteRoutes } from './alerts/notes.ts';
import { alertsRoutes } from './alerts.ts';
import { auditRoutes } from './audit.ts';
import { beneficiaryRoutes } from './beneficiaries.ts';
import { consoleRoutes } from './console.ts';
import { contactRoutes } from './contacts.ts';
import { deviceModelRoutes } from './device-models.ts';
import { deviceRoutes } from './devices.ts';
import { healthRoutes } from './health.ts';
import { ingestRoutes } from './ingest.ts';
import { operationsRoutes } from './operations.ts';
import { responderRoutes } from './responders.ts';
import { userRoutes } from './users.ts';

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
  ingestRoutes,
  alertsRoutes,
  alarmHistoryRoutes,
  alarmNoteRoutes,
  healthRoutes,
  consoleRoutes,
];
