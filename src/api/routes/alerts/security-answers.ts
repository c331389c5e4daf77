import { z } from 'zod';
import { ACCESS } from '../../access-policy.ts';
import { alertsOf } from '../../alerts-part.ts';
import { actorOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';

const params = z.object({ id: z.string().min(1).max(64) });
const answer = z.string().min(1).max(200);
const tags = ['security-answers'];

/**
 * Issue 18: a person's security and duress answers (write-only: stored hashed, never read
 * back), and the answer a caller gave on the phone, checked against them for an alarm.
 */
export const securityAnswerRoutes: RouteModule = (app, deps) => {
  app.put(
    '/api/beneficiaries/:id/security-answers',
    {
      config: { access: ACCESS.admin },
      schema: {
        tags,
        summary: 'Set the security answer and the duress answer (stored hashed like passwords)',
        params,
        body: z.object({ securityAnswer: answer, duressAnswer: answer }),
      },
    },
    async (req, reply) => {
      await alertsOf(deps).securityAnswers.set(actorOf(req), req.params.id, req.body.securityAnswer, req.body.duressAnswer);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/beneficiaries/:id/security-answers',
    {
      config: { access: ACCESS.personalData },
      schema: {
        tags,
        summary: 'Whether the answers are set (never the answers)',
        params,
        response: { 200: z.object({ set: z.boolean() }) },
      },
    },
    async (req) => ({ set: await alertsOf(deps).securityAnswers.isSet(req.params.id) }),
  );

  app.post(
    '/api/alarms/:id/security-answer',
    {
      config: { access: ACCESS.alarmHandlers },
      schema: {
        tags,
        summary: 'Record the answer the caller gave; a duress answer escalates the alarm silently, once',
        params,
        body: z.object({ answer }),
        response: { 200: z.object({ result: z.enum(['correct', 'wrong', 'duress', 'not_set']), escalated: z.boolean() }) },
      },
    },
    async (req) => alertsOf(deps).securityAnswers.record(req.params.id, req.body.answer, { id: actorOf(req).id, via: 'api' }),
  );
};
