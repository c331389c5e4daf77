import { z } from 'zod';
import { beneficiaryCreateSchema, beneficiarySchema, beneficiaryUpdateSchema, idSchema } from '../../../domain/registry.ts';
import { ACCESS } from '../../access-policy.ts';
import { actorOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';
import { readingContext, readingContextQuery } from '../../reading-context.ts';

const params = z.object({ id: idSchema });

/** People at risk. Readable by those who answer alarms and by admins; every read is audited. */
export const beneficiaryRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/beneficiaries',
    {
      config: { access: ACCESS.personalData },
      schema: {
        tags: ['registry'],
        querystring: z.object({ reason: readingContextQuery.reason }),
        response: { 200: z.array(beneficiarySchema) },
      },
    },
    async (req) => deps.repos.beneficiaries.list(actorOf(req), (await readingContext(deps, req, req.query)).purpose),
  );
  app.get(
    '/api/beneficiaries/:id',
    {
      config: { access: ACCESS.personalData },
      schema: { tags: ['registry'], params, querystring: z.object(readingContextQuery), response: { 200: beneficiarySchema } },
    },
    async (req) => {
      const context = await readingContext(deps, req, req.query, req.params.id);
      return deps.repos.beneficiaries.get(actorOf(req), req.params.id, context.purpose);
    },
  );
  app.post(
    '/api/beneficiaries',
    {
      config: { access: ACCESS.admin },
      schema: { tags: ['registry'], body: beneficiaryCreateSchema, response: { 201: beneficiarySchema } },
    },
    async (req, reply) => reply.code(201).send(await deps.repos.beneficiaries.create(actorOf(req), req.body)),
  );
  app.patch(
    '/api/beneficiaries/:id',
    {
      config: { access: ACCESS.admin },
      schema: { tags: ['registry'], params, body: beneficiaryUpdateSchema, response: { 200: beneficiarySchema } },
    },
    (req) => deps.repos.beneficiaries.update(actorOf(req), req.params.id, req.body),
  );
};
