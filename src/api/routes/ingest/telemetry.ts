import { z } from 'zod';
import { CentinelaError } from '../../../domain/errors.ts';
import { idSchema } from '../../../domain/registry.ts';
import type { TelemetryRow } from '../../../ingest/index.ts';
import { LOCATION_FIELDS, TELEMETRY_FIELDS, type TelemetryField } from '../../../store/telemetry/index.ts';
import { ACCESS, seesLocations } from '../../access-policy.ts';
import { actorOf, roleOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';
import { ingestOf } from '../../ingest-part.ts';
import { withoutPayloadText } from '../../payload-text.ts';

const DAY = 24 * 3600 * 1000;

const params = z.object({ id: idSchema });
const query = z.object({
  from: z.iso.datetime({ offset: true }).optional().describe('Start (device time), ISO-8601; default 24 h before `to`'),
  to: z.iso.datetime({ offset: true }).optional().describe('End (device time), ISO-8601; default now'),
  fields: z
    .string()
    .regex(/^[a-z]+(,[a-z]+)*$/)
    .optional()
    .describe(`Comma-separated subset of ${TELEMETRY_FIELDS.join(', ')}; default all the caller may see`),
  limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
});

const point = z.object({
  at: z.string(),
  receivedAt: z.string(),
  kind: z.enum(['heartbeat', 'event']),
  clockSuspect: z.boolean(),
  seq: z.number().nullable().optional(),
  battery: z.number().nullable().optional(),
  charging: z.boolean().nullable().optional(),
  network: z.string().nullable().optional(),
  rssi: z.number().nullable().optional(),
  bars: z.number().nullable().optional(),
  loc: z.object({ lat: z.number(), lon: z.number(), acc: z.number().nullable() }).nullable().optional(),
  fw: z.string().nullable().optional(),
  event: z.string().nullable().optional(),
  detail: z.unknown().optional(),
});

function view(row: TelemetryRow, fields: readonly TelemetryField[]): z.infer<typeof point> {
  const all: Record<TelemetryField, unknown> = {
    seq: row.seq,
    battery: row.battery,
    charging: row.charging === null ? null : row.charging === 1,
    network: row.network,
    rssi: row.rssi,
    bars: row.bars,
    loc: row.lat === null || row.lon === null ? null : { lat: row.lat, lon: row.lon, acc: row.acc },
    fw: row.fw,
    event: row.event,
    detail: row.detail === null ? null : JSON.parse(row.detail),
  };
  const out: Record<string, unknown> = {
    at: new Date(row.at).toISOString(),
    receivedAt: new Date(row.received_at).toISOString(),
    kind: row.kind,
    clockSuspect: row.clock_suspect === 1,
  };
  for (const f of fields) out[f] = all[f];
  return out as z.infer<typeof point>;
}

/** `GET /api/devices/:id/telemetry`: a device's heartbeats and events from the embedded store. */
export const ingestTelemetryRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/devices/:id/telemetry',
    {
      config: { access: ACCESS.deviceReaders },
      schema: {
        tags: ['telemetry'],
        summary: "A device's telemetry; technicians never see locations",
        params,
        querystring: query,
        response: { 200: z.object({ deviceId: z.string(), points: z.array(point) }) },
      },
    },
    async (req) => {
      const role = roleOf(req);
      const asked = (req.query.fields?.split(',') ?? [...TELEMETRY_FIELDS]) as TelemetryField[];
      const unknown = asked.filter((f) => !(TELEMETRY_FIELDS as readonly string[]).includes(f));
      if (unknown.length > 0)
        throw new CentinelaError('CENTINELA_ERR_VALIDATION', `querystring.fields: unknown field(s) ${unknown.join(', ')}`);
      // P6: technicians see devices, not people — never where a person is.
      const placing = asked.filter((f) => LOCATION_FIELDS.includes(f));
      if (!seesLocations(role) && req.query.fields && placing.length > 0) {
        throw new CentinelaError('CENTINELA_ERR_AUTH_FORBIDDEN', 'the technician role may not read device locations');
      }
      const fields = !seesLocations(role) ? asked.filter((f) => !LOCATION_FIELDS.includes(f)) : asked;

      await deps.repos.devices.require(req.params.id);
      const to = req.query.to ? Date.parse(req.query.to) : deps.clock.now();
      const from = req.query.from ? Date.parse(req.query.from) : to - DAY;
      const rows = await ingestOf(deps).telemetry({ deviceId: req.params.id, from, to, limit: req.query.limit });
      const points = rows.map((r) => view(r, fields));
      if (fields.some((f) => LOCATION_FIELDS.includes(f)) && points.some((p) => p.loc)) {
        // P6: every read of personal data is audited; a location places a person.
        await deps.repos.audit.record(actorOf(req), {
          action: 'read',
          recordType: 'device_location',
          recordId: req.params.id,
          detail: { from, to, points: points.length },
        });
      }
      return { deviceId: req.params.id, points };
    },
  );

  app.get(
    '/api/devices/:id/ingest-errors',
    {
      config: { access: ACCESS.deviceReaders },
      schema: {
        tags: ['telemetry'],
        summary: "Why a device's messages were dropped: counts per reason and the latest errors",
        params,
        response: {
          200: z.object({
            deviceId: z.string(),
            counts: z.array(z.object({ reason: z.string(), count: z.number(), lastAt: z.string() })),
            recent: z.array(z.object({ at: z.string(), kind: z.string(), reason: z.string() })),
          }),
        },
      },
    },
    async (req) => {
      await deps.repos.devices.require(req.params.id);
      const { recent, counts } = await ingestOf(deps).ingestErrors(req.params.id);
      // P6, issue 15: no one reading device health sees what a person's message said.
      return {
        deviceId: req.params.id,
        counts: counts.map((c) => ({ ...c, reason: withoutPayloadText(c.reason) })),
        recent: recent.map((r) => ({ ...r, reason: withoutPayloadText(r.reason) })),
      };
    },
  );
  app.get(
    '/api/ingest-errors/unregistered',
    {
      config: { access: ACCESS.deviceWorkers },
      schema: {
        tags: ['telemetry'],
        summary: 'Hardware (IMEI, serial, alarm account) heard by a protocol gateway that no registered device carries',
        response: {
          200: z.object({
            items: z.array(
              z.object({ protocol: z.string(), hardwareId: z.string(), reason: z.string(), count: z.number(), lastAt: z.string() }),
            ),
          }),
        },
      },
    },
    async () => ({ items: await ingestOf(deps).unregisteredHardware() }),
  );
};
