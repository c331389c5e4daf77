import { z } from 'zod';
import { idSchema, responderCreateSchema, responderSchema, responderUpdateSchema, stateCodeQuery } from '../../../domain/registry.ts';
import { ACCESS } from '../../access-policy.ts';
import { actorOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';

const params = z.object({ id: idSchema });

/** Responding authorities, taken in escalation order per jurisdiction. */
export const responderRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/responders',
    {
      config: { access: ACCESS.personalData },
      schema: { tags: ['registry'], querystring: z.object({ stateCode: stateCodeQuery }), response: { 200: z.array(responderSchema) } },
    },
    (req) => deps.repos.responders.list(req.query),
  );
  app.get(
    '/api/responders/:id',
    { config: { access: ACCESS.personalData }, schema: { tags: ['registry'], params, response: { 200: responderSchema } } },
    (req) => deps.repos.responders.get(req.params.id),
  );
  app.post(
    '/api/responders',
    { config: { access: ACCESS.admin }, schema: { tags: ['registry'], body: responderCreateSchema, response: { 201: responderSchema } } },
    async (req, reply) => reply.code(201).send(await deps.repos.responders.create(actorOf(req), req.body)),
  );
  app.patch(
    '/api/responders/:id',
    {
      config: { access: ACCESS.admin },
      schema: { tags: ['registry'], params, body: responderUpdateSchema, response: { 200: responderSchema } },
    },
    (req) => deps.repos.responders.update(actorOf(req), req.params.id, req.body),
  );
};
