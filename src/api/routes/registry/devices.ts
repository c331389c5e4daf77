import { z } from 'zod';
import { CentinelaError } from '../../../domain/errors.ts';
import type { Device } from '../../../domain/registry.ts';
import { deviceCreateSchema, deviceSchema, deviceUpdateSchema, idSchema, stateCodeQuery } from '../../../domain/registry.ts';
import type { Role } from '../../../domain/roles.ts';
import { generateCredential, hashDeviceSecret } from '../../../platform/secrets.ts';
import { ACCESS, seesPeopleLinks } from '../../access-policy.ts';
import { actorOf, roleOf } from '../../auth.ts';
import { announceRevoked } from '../../credential-revoked.ts';
import type { ApiDeps, RouteModule } from '../../deps.ts';
import { setupFor, setupSchema } from '../../device-setup-qr.ts';

/** P6: technicians see devices, not people — the link to the beneficiary is withheld. */
export const deviceView = z.object({ ...deviceSchema.shape, beneficiaryId: z.string().nullable().optional() });
export function viewDevice(device: Device, role: Role): z.infer<typeof deviceView> {
  if (!seesPeopleLinks(role)) {
    const { beneficiaryId: _withheld, ...rest } = device;
    return rest;
  }
  return device;
}

const params = z.object({ id: idSchema });
const withSecret = z.object({
  device: deviceView,
  secret: z.string().describe('The MQTT password. Shown once; store it on the device.'),
  setup: setupSchema,
});

async function checkReferences(deps: ApiDeps, input: { modelId?: string | undefined; beneficiaryId?: string | null | undefined }) {
  if (input.modelId !== undefined && !(await deps.repos.deviceModels.get(input.modelId))) {
    throw new CentinelaError('CENTINELA_ERR_VALIDATION', `body.modelId: unknown device model ${JSON.stringify(input.modelId)}`, {
      field: 'modelId',
    });
  }
}

export const deviceRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/devices',
    {
      config: { access: ACCESS.deviceReaders },
      schema: {
        tags: ['registry'],
        querystring: z.object({ modelId: idSchema.optional(), stateCode: stateCodeQuery }),
        response: { 200: z.array(deviceView) },
      },
    },
    async (req) => (await deps.repos.devices.list(req.query)).map((d) => viewDevice(d, roleOf(req))),
  );

  app.get(
    '/api/devices/:id',
    { config: { access: ACCESS.deviceReaders }, schema: { tags: ['registry'], params, response: { 200: deviceView } } },
    async (req) => viewDevice(await deps.repos.devices.require(req.params.id), roleOf(req)),
  );

  app.post(
    '/api/devices',
    { config: { access: ACCESS.admin }, schema: { tags: ['registry'], body: deviceCreateSchema, response: { 201: withSecret } } },
    async (req, reply) => {
      await checkReferences(deps, req.body);
      const secret = generateCredential('dev');
      const device = await deps.repos.devices.create(actorOf(req), req.body, hashDeviceSecret(secret));
      return reply.code(201).send({ device, secret, setup: await setupFor(deps, req, device.id, secret) });
    },
  );

  app.patch(
    '/api/devices/:id',
    { config: { access: ACCESS.admin }, schema: { tags: ['registry'], params, body: deviceUpdateSchema, response: { 200: deviceView } } },
    async (req) => {
      await checkReferences(deps, req.body);
      const device = await deps.repos.devices.update(actorOf(req), req.params.id, req.body);
      if (req.body.retiredAt) announceRevoked(deps, 'device', req.params.id, 'retired');
      // Issue 14 §9: a new interval reaches the device as its `config` downlink.
      if (req.body.heartbeatIntervalS !== undefined) await deps.parts?.health?.configChanged(req.params.id);
      return device;
    },
  );

  app.post(
    '/api/devices/:id/secret',
    {
      config: { access: ACCESS.deviceWorkers },
      schema: { tags: ['registry'], summary: 'Issue a new MQTT secret (the old one stops working)', params, response: { 200: withSecret } },
    },
    async (req) => {
      const secret = generateCredential('dev');
      await deps.repos.devices.rotateSecret(actorOf(req), req.params.id, hashDeviceSecret(secret));
      announceRevoked(deps, 'device', req.params.id, 'secret_rotated');
      return {
        device: viewDevice(await deps.repos.devices.require(req.params.id), roleOf(req)),
        secret,
        setup: await setupFor(deps, req, req.params.id, secret),
      };
    },
  );
};
