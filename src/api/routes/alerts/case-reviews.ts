import { z } from 'zod';
import { CentinelaError } from '../../../domain/errors.ts';
import { ACCESS } from '../../access-policy.ts';
import { alertsOf } from '../../alerts-part.ts';
import { actorOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';

const review = z.object({
  id: z.string(),
  alarmId: z.string(),
  beneficiaryId: z.string().nullable(),
  state: z.enum(['open', 'closed']),
  reason: z.string(),
  assignedTo: z.string().nullable(),
  openedAt: z.number(),
  closedAt: z.number().nullable(),
  closedBy: z.string().nullable(),
  closingNote: z.string().nullable(),
});
const params = z.object({ id: z.string().min(1).max(64) });
const tags = ['case-reviews'];

/** P5: case reviews opened by genuine alarms; supervisors assign and close them. */
export const caseReviewRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/case-reviews',
    {
      config: { access: ACCESS.caseReviewReaders },
      schema: { tags, querystring: z.object({ state: z.enum(['open', 'closed']).optional() }), response: { 200: z.array(review) } },
    },
    async (req) => alertsOf(deps).caseReviews.list(req.query),
  );
  app.post(
    '/api/case-reviews/:id/assign',
    {
      config: { access: ACCESS.supervisors },
      schema: { tags, params, body: z.object({ userId: z.string().min(1) }), response: { 200: review } },
    },
    async (req) => {
      // Issue 15: a case review goes only to someone who may open it (ACCESS.caseReviewReaders).
      const assignee = await deps.repos.users.require(req.body.userId);
      const readers: readonly string[] = ACCESS.caseReviewReaders;
      if (!readers.includes(assignee.role) || assignee.disabledAt)
        throw new CentinelaError(
          'CENTINELA_ERR_VALIDATION',
          `body.userId: ${assignee.disabledAt ? 'a disabled user' : `the ${assignee.role} role`} cannot open case reviews (${readers.join(', ')} can)`,
          { field: 'userId' },
        );
      return alertsOf(deps).caseReviews.assign(req.params.id, req.body.userId, actorOf(req).id);
    },
  );
  app.post(
    '/api/case-reviews/:id/close',
    {
      config: { access: ACCESS.supervisors },
      schema: { tags, params, body: z.object({ note: z.string().min(1).max(4000) }), response: { 200: review } },
    },
    async (req) => alertsOf(deps).caseReviews.close(req.params.id, actorOf(req).id, req.body.note),
  );
};
