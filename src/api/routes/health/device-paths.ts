import { z } from 'zod';
import { PATHS } from '../../../domain/device-paths.ts';
import { ACCESS } from '../../access-policy.ts';
import type { RouteModule } from '../../deps.ts';

const params = z.object({ id: z.string().min(1).max(64) });
const pathView = z.object({ path: z.enum(PATHS), windowS: z.number(), lastHeardAt: z.number().nullable(), lost: z.boolean() });
const tags = ['devices'];

/** Issue 18: the bearers of a dual-path device, each supervised with its own window. */
export const devicePathRoutes: RouteModule = (app, deps) => {
  app.put(
    '/api/devices/:id/paths',
    {
      config: { access: ACCESS.deviceWorkers },
      schema: {
        tags,
        summary: 'Declare the bearers of a dual-path device and the supervision window of each (an empty list removes them)',
        params,
        body: z.object({
          paths: z
            .array(
              z.object({
                path: z.enum(PATHS),
                windowS: z
                  .number()
                  .int()
                  .min(30)
                  .max(7 * 86_400),
              }),
            )
            .max(PATHS.length)
            .refine((ps) => new Set(ps.map((p) => p.path)).size === ps.length, 'each path once'),
        }),
        response: { 200: z.array(pathView) },
      },
    },
    async (req) => {
      await deps.repos.devices.require(req.params.id);
      await deps.repos.devicePaths.declare(req.params.id, req.body.paths, deps.clock.now());
      return (await deps.repos.devicePaths.of(req.params.id))?.paths ?? [];
    },
  );

  app.get(
    '/api/devices/:id/paths',
    { config: { access: ACCESS.deviceReaders }, schema: { tags, params, response: { 200: z.array(pathView) } } },
    async (req) => {
      await deps.repos.devices.require(req.params.id);
      return (await deps.repos.devicePaths.of(req.params.id))?.paths ?? [];
    },
  );
};
