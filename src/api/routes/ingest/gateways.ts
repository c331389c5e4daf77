import { z } from 'zod';
import { CentinelaError } from '../../../domain/errors.ts';
import { idSchema } from '../../../domain/registry.ts';
import { ACCESS } from '../../access-policy.ts';
import { actorOf } from '../../auth.ts';
import { announceRevoked } from '../../credential-revoked.ts';
import type { ApiDeps, RouteModule } from '../../deps.ts';
import { ingestOf } from '../../ingest-part.ts';

const gateway = z.object({
  id: z.string(),
  description: z.string().nullable(),
  deviceIds: z.array(z.string()),
  createdAt: z.string(),
  retiredAt: z.string().nullable(),
});
const withSecret = z.object({ gateway, secret: z.string().describe('The MQTT password. Shown once; store it on the gateway.') });
const params = z.object({ id: idSchema });
const deviceIds = z.array(idSchema).max(10_000);

async function checkDevices(deps: ApiDeps, ids: string[]): Promise<void> {
  for (const id of ids) {
    if (!(await deps.repos.devices.get(id))) {
      throw new CentinelaError('CENTINELA_ERR_VALIDATION', `body.deviceIds: unknown device ${JSON.stringify(id)}`, { field: 'deviceIds' });
    }
  }
}

/** Gateway accounts: publish for the devices listed on them and no others (issue 3 §2). */
export const ingestGatewayRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/gateways',
    { config: { access: ACCESS.gatewayReaders }, schema: { tags: ['gateways'], response: { 200: z.array(gateway) } } },
    async () => ingestOf(deps).gateways.list(),
  );

  app.post(
    '/api/gateways',
    {
      config: { access: ACCESS.admin },
      schema: {
        tags: ['gateways'],
        body: z.object({ id: idSchema, description: z.string().max(200).optional(), deviceIds: deviceIds.default([]) }),
        response: { 201: withSecret },
      },
    },
    async (req, reply) => {
      await checkDevices(deps, req.body.deviceIds);
      return reply.code(201).send(await ingestOf(deps).gateways.create(actorOf(req), req.body));
    },
  );

  app.put(
    '/api/gateways/:id/devices',
    {
      config: { access: ACCESS.admin },
      schema: {
        tags: ['gateways'],
        summary: 'Replace the devices a gateway may publish for',
        params,
        body: z.object({ deviceIds }),
        response: { 200: gateway },
      },
    },
    async (req) => {
      await checkDevices(deps, req.body.deviceIds);
      return ingestOf(deps).gateways.setDevices(actorOf(req), req.params.id, req.body.deviceIds);
    },
  );

  app.post(
    '/api/gateways/:id/secret',
    {
      config: { access: ACCESS.admin },
      schema: { tags: ['gateways'], summary: 'Issue a new MQTT secret', params, response: { 200: withSecret } },
    },
    async (req) => {
      const rotated = await ingestOf(deps).gateways.rotateSecret(actorOf(req), req.params.id);
      announceRevoked(deps, 'gateway', req.params.id, 'secret_rotated');
      return rotated;
    },
  );

  app.post(
    '/api/gateways/:id/retire',
    {
      config: { access: ACCESS.admin },
      schema: { tags: ['gateways'], summary: 'Retire a gateway: it can no longer connect', params, response: { 200: gateway } },
    },
    async (req) => {
      const retired = await ingestOf(deps).gateways.retire(actorOf(req), req.params.id);
      announceRevoked(deps, 'gateway', req.params.id, 'retired');
      return retired;
    },
  );
};
