import { z } from 'zod';
import { idSchema } from '../../../domain/registry.ts';
import { INCIDENT_KINDS } from '../../../health/index.ts';
import { ACCESS } from '../../access-policy.ts';
import type { RouteModule } from '../../deps.ts';
import { healthOf } from '../../health-part.ts';

const incident = z.object({
  id: z.string(),
  deviceId: z.string(),
  kind: z.enum(INCIDENT_KINDS),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  closedReason: z.string().nullable(),
});

/** Technician incidents (a device offline) and tasks (a test alarm overdue). */
export const healthIncidentRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/incidents',
    {
      config: { access: ACCESS.deviceReaders },
      schema: {
        tags: ['health'],
        querystring: z.object({
          open: z.enum(['true', 'false']).optional(),
          kind: z.enum(INCIDENT_KINDS).optional(),
          deviceId: idSchema.optional(),
          limit: z.coerce.number().int().min(1).max(1000).optional(),
        }),
        response: { 200: z.object({ items: z.array(incident) }) },
      },
    },
    async (req) => {
      const { open, ...rest } = req.query;
      return { items: await healthOf(deps).incidents({ ...rest, open: open === undefined ? undefined : open === 'true' }) };
    },
  );
};
