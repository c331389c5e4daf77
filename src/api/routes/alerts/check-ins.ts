import formbody from '@fastify/formbody';
import { z } from 'zod';
import { CHECK_IN_STATES, MAX_DESTINATION, MAX_MINUTES, MIN_MINUTES } from '../../../domain/check-in.ts';
import { ACCESS } from '../../access-policy.ts';
import { alertsOf } from '../../alerts-part.ts';
import { actorOf } from '../../auth.ts';
import type { App, RouteModule } from '../../deps.ts';
import { verified } from './twilio.ts';

const timer = z.object({
  id: z.string(),
  beneficiaryId: z.string(),
  destination: z.string().nullable(),
  dueAt: z.number(),
  state: z.enum(CHECK_IN_STATES),
  setBy: z.string(),
  setVia: z.string(),
  alarmId: z.string().nullable(),
  closedBy: z.string().nullable(),
  closedAt: z.number().nullable(),
  createdAt: z.number(),
});
const runningTimer = timer.extend({ alias: z.string() });
const person = z.object({ id: z.string(), alias: z.string(), stateCode: z.string(), municipality: z.string().nullable() });
const limits = z.object({ minMinutes: z.number(), maxMinutes: z.number(), maxDestination: z.number() });
const params = z.object({ id: z.string().min(1).max(64) });
const form = z.record(z.string(), z.string()).default({});
const tags = ['check-in'];

/**
 * Issue 18: check-in timers from the console, and the centre's phone line for checking in by
 * keypress (Twilio's signed callbacks only, like src/api/routes/alerts/twilio.ts). Only those who
 * answer alarms set, see and close timers; every read of who goes where is audited (P6).
 */
export const checkInRoutes: RouteModule = async (app, deps) => {
  app.post(
    '/api/beneficiaries/:id/check-in-timers',
    {
      config: { access: ACCESS.alarmHandlers },
      schema: {
        tags,
        summary: 'Start a check-in timer for the person (replaces a running one)',
        description:
          'Staff name the destination: on expiry the panic carries it, so the centre knows where to look for the person. ' +
          "(A contact's SMS VIAJE may leave it out.)",
        params,
        body: z.object({
          minutes: z.number().int().min(MIN_MINUTES).max(MAX_MINUTES),
          destination: z.string().trim().min(1).max(MAX_DESTINATION),
        }),
        response: { 201: timer },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await alertsOf(deps).checkIns.set(req.params.id, req.body.minutes, req.body.destination, {
          id: actorOf(req).id,
          via: 'api',
        }),
      ),
  );

  app.get(
    '/api/beneficiaries/:id/check-in-timers',
    { config: { access: ACCESS.alarmHandlers }, schema: { tags, params, response: { 200: z.array(timer) } } },
    async (req) => alertsOf(deps).checkIns.list(req.params.id, actorOf(req)),
  );

  app.get(
    '/api/check-in-timers',
    {
      config: { access: ACCESS.alarmHandlers },
      schema: {
        tags,
        summary: "The centre's running check-in timers, soonest due first, with the limits a new one must keep",
        response: { 200: z.object({ items: z.array(runningTimer), limits }) },
      },
    },
    async (req) => ({
      items: await alertsOf(deps).checkIns.running(actorOf(req)),
      limits: { minMinutes: MIN_MINUTES, maxMinutes: MAX_MINUTES, maxDestination: MAX_DESTINATION },
    }),
  );

  app.get(
    '/api/check-in-timers/people',
    {
      config: { access: ACCESS.alarmHandlers },
      schema: {
        tags,
        summary: 'Find the person to set a timer for, by part of the alias (at most 10; audited)',
        querystring: z.object({ alias: z.string().trim().min(2).max(80) }),
        response: { 200: z.object({ items: z.array(person) }) },
      },
    },
    async (req) => ({ items: await deps.repos.beneficiaryAliases.search(actorOf(req), req.query.alias, 'check-in timer') }),
  );

  app.post(
    '/api/check-in-timers/:id/check-in',
    {
      config: { access: ACCESS.alarmHandlers },
      schema: { tags, summary: 'The person checked in (by phone to an operator)', params, response: { 200: timer } },
    },
    async (req) => alertsOf(deps).checkIns.checkIn(req.params.id, { id: actorOf(req).id, via: 'api' }),
  );

  await app.register(async (scope) => {
    await scope.register(formbody);
    const s = scope as unknown as App;
    const config = { access: ACCESS.public };
    s.post('/api/twilio/check-in/voice', { config, schema: { tags, body: form } }, async (req, reply) => {
      const tw = verified(deps, req, reply);
      if (!tw) return reply;
      return reply
        .type('text/xml; charset=utf-8')
        .send(await alertsOf(deps).checkIns.inboundCall(`${tw.publicUrl}/api/twilio/check-in/gather`));
    });
    s.post('/api/twilio/check-in/gather', { config, schema: { tags, body: form } }, async (req, reply) => {
      const tw = verified(deps, req, reply);
      if (!tw) return reply;
      return reply.type('text/xml; charset=utf-8').send(await alertsOf(deps).checkIns.gather(req.body as Record<string, string>));
    });
  });
};
