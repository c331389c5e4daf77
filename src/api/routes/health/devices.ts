import { z } from 'zod';
import { LIVENESS_STATES } from '../../../domain/liveness.ts';
import { DEVICE_KINDS, idSchema, stateCodeQuery } from '../../../domain/registry.ts';
import { ACCESS, seesPeopleLinks } from '../../access-policy.ts';
import { actorOf, roleOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';
import { healthOf } from '../../health-part.ts';

const params = z.object({ id: idSchema });
const iso = z.iso.datetime({ offset: true, error: 'expected an ISO-8601 date-time, e.g. 2026-01-31T12:00:00Z' });

const fleetItem = z.object({
  deviceId: z.string(),
  modelId: z.string(),
  kind: z.string(),
  stateCode: z.string(),
  beneficiaryId: z.string().nullable().optional(),
  liveness: z.enum(LIVENESS_STATES),
  since: z.string(),
  lastSeenAt: z.string().nullable(),
  battery: z.number().nullable(),
  signal: z.string().nullable(),
  onTestUntil: z.string().nullable(),
});

/** Fleet, diagnosis, on test and maintenance: the technician's view of devices. */
export const healthDeviceRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/fleet',
    {
      config: { access: ACCESS.deviceReaders },
      schema: {
        tags: ['health'],
        summary: 'Devices with their liveness, filtered by liveness state, kind, model and Mexican state',
        querystring: z.object({
          state: z.enum(LIVENESS_STATES).optional(),
          kind: z.enum(DEVICE_KINDS).optional(),
          modelId: idSchema.optional(),
          stateCode: stateCodeQuery,
        }),
        response: { 200: z.object({ items: z.array(fleetItem) }) },
      },
    },
    async (req) => {
      const items = healthOf(deps).fleet(req.query);
      // P6: technicians see devices, not people.
      if (!seesPeopleLinks(roleOf(req))) return { items: items.map(({ beneficiaryId: _withheld, ...rest }) => rest) };
      return { items };
    },
  );

  app.get(
    '/api/devices/:id/diagnosis',
    {
      config: { access: ACCESS.deviceReaders },
      schema: { tags: ['health'], summary: 'Battery, signal, delivery, reboots, clock, ingest errors and a plain finding', params },
    },
    async (req) => healthOf(deps).diagnosis(req.params.id),
  );

  app.post(
    '/api/devices/:id/test',
    {
      config: { access: ACCESS.serviceWindows },
      schema: {
        tags: ['health'],
        summary: 'Put a device on test (at most 4 h, renewals included unless a supervisor renews); it returns to service by itself',
        params,
        body: z.object({ minutes: z.number().int().min(1).max(240).default(60) }).default({ minutes: 60 }),
        response: { 200: z.object({ deviceId: z.string(), onTestUntil: z.string() }) },
      },
    },
    async (req) => healthOf(deps).putOnTest(actorOf(req), req.params.id, req.body.minutes * 60_000),
  );

  app.post(
    '/api/devices/:id/maintenance',
    {
      config: { access: ACCESS.serviceWindows },
      schema: {
        tags: ['health'],
        summary:
          'Plan a maintenance window (at most CENTINELA_MAINTENANCE_MAX_H, 72 h, unless a supervisor plans it): the device is out of service and not supervised during it',
        params,
        body: z.object({ startsAt: iso.optional(), endsAt: iso, reason: z.string().max(200).optional() }),
        response: {
          201: z.object({ id: z.string(), deviceId: z.string(), startsAt: z.string(), endsAt: z.string(), reason: z.string().nullable() }),
        },
      },
    },
    async (req, reply) => {
      const startsAt = req.body.startsAt ? Date.parse(req.body.startsAt) : deps.clock.now();
      const w = await healthOf(deps).scheduleMaintenance(
        actorOf(req),
        req.params.id,
        startsAt,
        Date.parse(req.body.endsAt),
        req.body.reason ?? null,
      );
      return reply.code(201).send({ ...w, startsAt: new Date(w.startsAt).toISOString(), endsAt: new Date(w.endsAt).toISOString() });
    },
  );
};
