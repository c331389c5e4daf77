import { z } from 'zod';
import { CentinelaError } from '../../../domain/errors.ts';
import { contactCreateSchema, contactSchema, contactUpdateSchema, idSchema } from '../../../domain/registry.ts';
import { ACCESS } from '../../access-policy.ts';
import { actorOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';
import { readingContext, readingContextQuery } from '../../reading-context.ts';

const params = z.object({ id: idSchema });

/** Trusted contacts of a beneficiary: who is called when the button is pressed. */
export const contactRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/contacts',
    {
      config: { access: ACCESS.personalData },
      schema: {
        tags: ['registry'],
        querystring: z.object({ beneficiaryId: idSchema.optional(), ...readingContextQuery }),
        response: { 200: z.array(contactSchema) },
      },
    },
    async (req) => {
      const context = await readingContext(deps, req, req.query, req.query.beneficiaryId);
      // In an alarm's context an operator sees that person's contacts only.
      return deps.repos.contacts.list(actorOf(req), req.query.beneficiaryId ?? context.beneficiaryId, context.purpose);
    },
  );
  app.get(
    '/api/contacts/:id',
    {
      config: { access: ACCESS.personalData },
      schema: { tags: ['registry'], params, querystring: z.object(readingContextQuery), response: { 200: contactSchema } },
    },
    async (req) => {
      const context = await readingContext(deps, req, req.query);
      return deps.repos.contacts.get(actorOf(req), req.params.id, {
        ...(context.purpose ? { purpose: context.purpose } : {}),
        ...(context.beneficiaryId ? { ofBeneficiary: context.beneficiaryId } : {}),
      });
    },
  );
  app.post(
    '/api/contacts',
    { config: { access: ACCESS.admin }, schema: { tags: ['registry'], body: contactCreateSchema, response: { 201: contactSchema } } },
    async (req, reply) => {
      try {
        return reply.code(201).send(await deps.repos.contacts.create(actorOf(req), req.body));
      } catch (err) {
        if (err instanceof CentinelaError && err.code === 'CENTINELA_ERR_VALIDATION' && err.details?.what === 'contact') {
          throw new CentinelaError(
            'CENTINELA_ERR_VALIDATION',
            `body.beneficiaryId: unknown beneficiary ${JSON.stringify(req.body.beneficiaryId)}`,
            { field: 'beneficiaryId' },
          );
        }
        throw err;
      }
    },
  );
  app.patch(
    '/api/contacts/:id',
    {
      config: { access: ACCESS.admin },
      schema: { tags: ['registry'], params, body: contactUpdateSchema, response: { 200: contactSchema } },
    },
    (req) => deps.repos.contacts.update(actorOf(req), req.params.id, req.body),
  );
  app.delete('/api/contacts/:id', { config: { access: ACCESS.admin }, schema: { tags: ['registry'], params } }, async (req, reply) => {
    await deps.repos.contacts.remove(actorOf(req), req.params.id);
    return reply.code(204).send();
  });
};
