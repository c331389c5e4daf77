import { z } from 'zod';
import { addressCreateSchema, addressSchema } from '../../../domain/alarm-notes.ts';
import { idSchema } from '../../../domain/registry.ts';
import { ACCESS } from '../../access-policy.ts';
import { actorOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';
import { readingContext, readingContextQuery } from '../../reading-context.ts';

const params = z.object({ id: idSchema });
const oneParams = z.object({ id: idSchema, addressId: z.string().min(1).max(64) });
const addressBody = addressCreateSchema.omit({ beneficiaryId: true });

/**
 * A person's registered addresses (home, work…), shown on the alarm map when a device sends no
 * fix. Administrators add and remove them; reads are audited like the rest of a person's data, and
 * operators read them only in the context of an alarm or with a reason (issue 15).
 */
export const beneficiaryAddressRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/beneficiaries/:id/addresses',
    {
      config: { access: ACCESS.personalData },
      schema: { tags: ['registry'], params, querystring: z.object(readingContextQuery), response: { 200: z.array(addressSchema) } },
    },
    async (req) => {
      // Issue 15: where a person lives is read by operators only for an open alarm of that person
      // or with a stated reason, like the rest of the record (src/api/reading-context.ts).
      await readingContext(deps, req, req.query, req.params.id);
      return deps.repos.addresses.list(actorOf(req), req.params.id);
    },
  );
  app.post(
    '/api/beneficiaries/:id/addresses',
    { config: { access: ACCESS.admin }, schema: { tags: ['registry'], params, body: addressBody, response: { 201: addressSchema } } },
    async (req, reply) => {
      // The person must exist: a clear 404 rather than a foreign-key refusal.
      await deps.repos.beneficiaries.get(actorOf(req), req.params.id, 'add an address');
      return reply.code(201).send(await deps.repos.addresses.create(actorOf(req), { ...req.body, beneficiaryId: req.params.id }));
    },
  );
  app.delete(
    '/api/beneficiaries/:id/addresses/:addressId',
    { config: { access: ACCESS.admin }, schema: { tags: ['registry'], params: oneParams } },
    async (req, reply) => {
      await deps.repos.addressEdits.remove(actorOf(req), req.params.id, req.params.addressId);
      return reply.code(204).send();
    },
  );
};
