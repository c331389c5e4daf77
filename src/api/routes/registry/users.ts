import { z } from 'zod';
import { CentinelaError } from '../../../domain/errors.ts';
import { e164Schema, idSchema } from '../../../domain/registry.ts';
import { roleSchema } from '../../../domain/roles.ts';
import { hashSecret } from '../../../platform/secrets.ts';
import { ACCESS } from '../../access-policy.ts';
import { actorOf } from '../../auth.ts';
import { announceRevoked } from '../../credential-revoked.ts';
import type { RouteModule } from '../../deps.ts';

const user = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  phone: z.string().nullable(),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
});
const params = z.object({ id: idSchema });
const userCreate = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,39}$/, 'expected a login name: 2–40 lower-case letters, digits, ".", "_" or "-"'),
  role: roleSchema,
  phone: e164Schema.optional().describe('For SMS acknowledgement by operators and supervisors'),
  password: z.string().min(12, 'a password needs at least 12 characters').max(200).optional(),
});

const userUpdate = z.object({
  role: roleSchema.optional(),
  phone: e164Schema.nullable().optional().describe('null removes the phone'),
});
const passwordReset = z.object({ password: userCreate.shape.password.unwrap() });

/** Staff accounts. Tokens are shown once; revocation takes effect on the next request. */
export const userRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/me',
    {
      config: { access: ACCESS.staff },
      schema: { tags: ['users'], response: { 200: z.object({ userId: z.string(), name: z.string(), role: roleSchema }) } },
    },
    (req) => {
      const { userId, name, role } = req.principal ?? { userId: '', name: '', role: 'operator' as const };
      return { userId, name, role };
    },
  );
  app.get('/api/users', { config: { access: ACCESS.admin }, schema: { tags: ['users'], response: { 200: z.array(user) } } }, () =>
    deps.repos.users.list(),
  );
  app.get('/api/users/:id', { config: { access: ACCESS.admin }, schema: { tags: ['users'], params, response: { 200: user } } }, (req) =>
    deps.repos.users.require(req.params.id),
  );
  app.post(
    '/api/users',
    {
      config: { access: ACCESS.admin },
      schema: { tags: ['users'], body: userCreate, response: { 201: z.object({ user, token: z.string().describe('Shown once') }) } },
    },
    async (req, reply) => {
      const { password, ...rest } = req.body;
      const created = await deps.repos.users.create(actorOf(req), {
        ...rest,
        passwordHash: password ? await hashSecret(password) : undefined,
      });
      return reply.code(201).send(created);
    },
  );
  app.post(
    '/api/users/:id/tokens',
    { config: { access: ACCESS.admin }, schema: { tags: ['users'], params, response: { 201: z.object({ token: z.string() }) } } },
    async (req, reply) => reply.code(201).send({ token: await deps.repos.users.issueToken(actorOf(req), req.params.id) }),
  );
  app.post(
    '/api/users/:id/revoke-tokens',
    { config: { access: ACCESS.admin }, schema: { tags: ['users'], params, response: { 200: z.object({ revoked: z.number() }) } } },
    async (req) => {
      const revoked = await deps.repos.users.revokeTokens(actorOf(req), req.params.id);
      announceRevoked(deps, 'user', req.params.id, 'tokens_revoked');
      return { revoked };
    },
  );
  app.post(
    '/api/users/:id/disable',
    { config: { access: ACCESS.admin }, schema: { tags: ['users'], params, response: { 200: user } } },
    async (req) => {
      const disabled = await deps.repos.users.disable(actorOf(req), req.params.id);
      announceRevoked(deps, 'user', req.params.id, 'disabled');
      return disabled;
    },
  );
  app.patch(
    '/api/users/:id',
    {
      config: { access: ACCESS.admin },
      schema: { tags: ['users'], summary: 'Change a role or phone', params, body: userUpdate, response: { 200: user } },
    },
    (req) => {
      // An administrator who demoted themselves could leave the centre with no one to undo it.
      if (req.body.role && req.body.role !== 'admin' && req.params.id === req.principal?.userId) {
        throw new CentinelaError(
          'CENTINELA_ERR_VALIDATION',
          'body.role: you cannot give up your own administrator role; ask another administrator',
          {
            field: 'role',
          },
        );
      }
      return deps.repos.users.update(actorOf(req), req.params.id, req.body);
    },
  );
  app.post(
    '/api/users/:id/password',
    {
      config: { access: ACCESS.admin },
      schema: { tags: ['users'], summary: "Reset a person's console password", params, body: passwordReset },
    },
    async (req, reply) => {
      await deps.repos.users.setPassword(actorOf(req), req.params.id, await hashSecret(req.body.password));
      return reply.code(204).send();
    },
  );
};
