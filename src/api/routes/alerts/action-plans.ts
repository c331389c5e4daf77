import { z } from 'zod';
import { PLAN_STEP_STATUSES, PLAN_STEP_TYPES, planStepSchema } from '../../../domain/action-plan.ts';
import { ACCESS } from '../../access-policy.ts';
import { alertsOf } from '../../alerts-part.ts';
import { actorOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';

export const planView = z.object({
  name: z.string().nullable(),
  open: z.number(),
  steps: z.array(
    z.object({
      key: z.string(),
      index: z.number(),
      type: z.enum(PLAN_STEP_TYPES),
      title: z.string(),
      after: z.array(z.string()),
      source: z.enum(['plan', 'case']),
      status: z.enum(PLAN_STEP_STATUSES),
      outcome: z.string().nullable(),
      reason: z.string().nullable(),
      by: z.string().nullable(),
      at: z.string().nullable(),
    }),
  ),
});
const casePlanStep = z.object({
  id: z.string(),
  beneficiaryId: z.string(),
  step: planStepSchema,
  kinds: z.array(z.string()).nullable(),
  createdBy: z.string(),
  createdAt: z.number(),
});

const params = z.object({ id: z.string().min(1).max(64) });
const stepParams = z.object({ id: z.string().min(1).max(64), step: z.string().min(1).max(64) });
const text = z.string().trim().min(1).max(2000);
const tags = ['action-plans'];

/** Issue 18: an alarm's action plan, worked step by step, and the steps a case adds to its plans. */
export const actionPlanRoutes: RouteModule = (app, deps) => {
  const handlers = { access: ACCESS.alarmHandlers };

  app.get('/api/alarms/:id/plan', { config: handlers, schema: { tags, params, response: { 200: planView } } }, async (req) =>
    alertsOf(deps).plans.view(req.params.id),
  );

  app.post(
    '/api/alarms/:id/plan/steps/:step/done',
    {
      config: handlers,
      schema: {
        tags,
        summary: 'Mark a step done, with what happened',
        params: stepParams,
        body: z.object({ outcome: text }),
        response: { 200: planView },
      },
    },
    async (req) =>
      alertsOf(deps).plans.mark(
        req.params.id,
        req.params.step,
        { type: 'done', outcome: req.body.outcome },
        { id: actorOf(req).id, via: 'api' },
      ),
  );

  app.post(
    '/api/alarms/:id/plan/steps/:step/skip',
    {
      config: handlers,
      schema: {
        tags,
        summary: 'Skip a step, with the reason',
        params: stepParams,
        body: z.object({ reason: text }),
        response: { 200: planView },
      },
    },
    async (req) =>
      alertsOf(deps).plans.mark(
        req.params.id,
        req.params.step,
        { type: 'skip', reason: req.body.reason },
        { id: actorOf(req).id, via: 'api' },
      ),
  );

  app.post(
    '/api/alarms/:id/plan/override',
    {
      config: { access: ACCESS.supervisors },
      schema: {
        tags,
        summary: 'A supervisor closes the open steps as skipped, with the reason, so the alarm can be resolved',
        params,
        body: z.object({ reason: text }),
        response: { 200: planView },
      },
    },
    async (req) => alertsOf(deps).plans.override(req.params.id, req.body.reason, { id: actorOf(req).id, via: 'api' }),
  );

  app.get(
    '/api/beneficiaries/:id/plan-steps',
    { config: { access: ACCESS.personalData }, schema: { tags, params, response: { 200: z.array(casePlanStep) } } },
    async (req) => alertsOf(deps).plans.caseSteps(actorOf(req), req.params.id),
  );

  app.post(
    '/api/beneficiaries/:id/plan-steps',
    {
      config: { access: ACCESS.supervisors },
      schema: {
        tags,
        summary: "Add a step to this case's plans (same id as a plan step: replaces it for this case)",
        params,
        body: z.object({ step: planStepSchema, kinds: z.array(z.string().min(1).max(32)).min(1).max(20).optional() }),
        response: { 201: casePlanStep },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await alertsOf(deps).plans.addCaseStep(actorOf(req), req.params.id, req.body.step, req.body.kinds ?? null)),
  );

  app.delete(
    '/api/beneficiaries/:id/plan-steps/:step',
    { config: { access: ACCESS.supervisors }, schema: { tags, params: stepParams } },
    async (req, reply) => {
      await alertsOf(deps).plans.removeCaseStep(actorOf(req), req.params.id, req.params.step);
      return reply.code(204).send();
    },
  );
};
