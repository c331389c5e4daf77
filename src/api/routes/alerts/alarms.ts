import { z } from 'zod';
import { ALARM_OUTCOMES, ALARM_STATES } from '../../../domain/alarm.ts';
import { ACCESS } from '../../access-policy.ts';
import { alertsOf } from '../../alerts-part.ts';
import { actorOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';
import { planView } from './action-plans.ts';

const iso = z.string();
export const alarmView = z.object({
  id: z.string(),
  deviceId: z.string(),
  beneficiaryId: z.string().nullable(),
  kind: z.string(),
  severity: z.string(),
  state: z.enum(ALARM_STATES),
  test: z.boolean(),
  policy: z.string().nullable(),
  raisedAt: iso,
  receivedAt: iso,
  /** Issue 13: the device's clock was not believable; raisedAt is the receive time, deviceReportedAt what the device said. */
  clockSuspect: z.boolean(),
  deviceReportedAt: iso.nullable(),
  pressCount: z.number(),
  lastPressAt: iso,
  acknowledgedAt: iso.nullable(),
  acknowledgedBy: z.string().nullable(),
  dispatchedAt: iso.nullable(),
  dispatchedBy: z.string().nullable(),
  onSceneAt: iso.nullable(),
  onSceneBy: z.string().nullable(),
  resolvedAt: iso.nullable(),
  resolvedBy: z.string().nullable(),
  outcome: z.string().nullable(),
  resolutionNote: z.string().nullable(),
});
const timelineEntry = z.object({
  seq: z.number(),
  at: iso,
  kind: z.string(),
  actor: z.string(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});
const notificationView = z.object({
  id: z.string(),
  target: z.string(),
  channel: z.string(),
  recipientType: z.string(),
  recipientId: z.string().nullable(),
  language: z.string(),
  status: z.string(),
  /** Why it was not sent or failed, as a code (`sms_not_configured`) or the provider's words. */
  reason: z.string().nullable(),
  /** The message text, so an operator can call or write by hand (issue 14 §1). */
  body: z.string(),
  attempts: z.number(),
  providerId: z.string().nullable(),
  reachedAt: iso.nullable(),
  createdAt: iso,
  history: z.array(
    z.object({
      attempt: z.number(),
      at: iso,
      status: z.string(),
      httpStatus: z.number().nullable(),
      providerId: z.string().nullable(),
      error: z.string().nullable(),
    }),
  ),
});
const alarmDetail = z.object({
  ...alarmView.shape,
  timeline: z.array(timelineEntry),
  notifications: z.array(notificationView),
  /** Issue 18: the action plan, as worked so far. */
  plan: planView.nullable(),
});

/** Issue 14 §6: who a dispatch paged, or why nobody (reason codes; texts in src/web/i18n). */
const dispatchOutcome = z.object({
  paged: z.array(z.object({ responderId: z.string(), channel: z.string() })),
  reason: z
    .enum([
      'responder_paged_earlier',
      'test_alarm',
      'no_responder_in_jurisdiction',
      'all_responders_presumed_aggressors',
      'aggressors_unreadable',
    ])
    .nullable(),
});
const params = z.object({ id: z.string().min(1).max(64) });
const noteBody = z.object({ note: z.string().max(2000).optional() }).default({});
const resolveBody = z.object({ outcome: z.enum(ALARM_OUTCOMES), note: z.string().max(2000).optional() });
const tags = ['alarms'];

/** Alarms: the operator's console. Only those who answer alarms see them (P6). */
export const alarmRoutes: RouteModule = (app, deps) => {
  const access = { access: ACCESS.alarmHandlers };

  app.get(
    '/api/alarms',
    {
      config: access,
      schema: {
        tags,
        querystring: z.object({
          state: z.enum(ALARM_STATES).optional(),
          open: z.coerce.boolean().optional(),
          limit: z.coerce.number().int().min(1).max(1000).optional(),
        }),
        response: { 200: z.array(alarmView) },
      },
    },
    async (req) => alertsOf(deps).alarms.list(actorOf(req), req.query),
  );

  app.get('/api/alarms/:id', { config: access, schema: { tags, params, response: { 200: alarmDetail } } }, async (req) =>
    alertsOf(deps).alarms.get(actorOf(req), req.params.id),
  );

  const act = (path: string, summary: string, run: (id: string, by: { id: string; via: 'api' }, note?: string) => Promise<unknown>) =>
    app.post(
      `/api/alarms/:id/${path}`,
      { config: access, schema: { tags, summary, params, body: noteBody, response: { 200: alarmView } } },
      async (req) => {
        const actor = actorOf(req);
        await run(req.params.id, { id: actor.id, via: 'api' }, req.body?.note);
        return (await alertsOf(deps).alarms.get(actor, req.params.id)) as z.infer<typeof alarmView>;
      },
    );
  act('acknowledge', 'Take charge of the alarm (first acknowledgement wins; a later one gets 409)', (id, by) =>
    alertsOf(deps).acknowledge(id, by),
  );
  app.post(
    '/api/alarms/:id/dispatch',
    {
      config: access,
      schema: {
        tags,
        summary: 'Send the responder of the jurisdiction (never a presumed aggressor, P4); says who was paged, or why nobody was',
        params,
        body: noteBody,
        response: { 200: z.object({ ...alarmView.shape, dispatch: dispatchOutcome }) },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const done = await alertsOf(deps).dispatch(req.params.id, { id: actor.id, via: 'api' }, req.body?.note);
      const alarm = (await alertsOf(deps).alarms.get(actor, req.params.id)) as z.infer<typeof alarmView>;
      return { ...alarm, dispatch: done.dispatch ?? { paged: [], reason: 'responder_paged_earlier' as const } };
    },
  );
  act('on-scene', 'Help reached the person', (id, by, note) => alertsOf(deps).onScene(id, by, note));

  app.post(
    '/api/alarms/:id/resolve',
    {
      config: access,
      schema: {
        tags,
        summary: 'Resolve with an outcome; genuine opens a case review (P5)',
        params,
        body: resolveBody,
        response: { 200: alarmView },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      await alertsOf(deps).resolve(req.params.id, { id: actor.id, via: 'api' }, req.body.outcome, req.body.note);
      return (await alertsOf(deps).alarms.get(actor, req.params.id)) as z.infer<typeof alarmView>;
    },
  );

  app.get(
    '/api/alarms/:id/evidence',
    { config: access, schema: { tags, summary: 'The whole timeline as JSON; its SHA-256 is written into the audit chain', params } },
    async (req, reply) => {
      const evidence = await alertsOf(deps).evidence(actorOf(req), req.params.id);
      return reply
        .type('application/json; charset=utf-8')
        .header('x-evidence-sha256', evidence.sha256)
        .header('x-audit-seq', String(evidence.auditSeq))
        .send(evidence.body);
    },
  );
};
