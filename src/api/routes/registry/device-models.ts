import { z } from 'zod';
import { notFound } from '../../../domain/errors.ts';
import { deviceModelSchema, idSchema } from '../../../domain/registry.ts';
import { ACCESS } from '../../access-policy.ts';
import type { RouteModule } from '../../deps.ts';

/** The device catalogue: models, their costs and supervision windows. Not personal data. */
export const deviceModelRoutes: RouteModule = (app, deps) => {
  const model = z.object({ ...deviceModelSchema.shape });
  app.get(
    '/api/device-models',
    { config: { access: ACCESS.staff }, schema: { tags: ['registry'], response: { 200: z.array(model) } } },
    () => deps.repos.deviceModels.list(),
  );
  app.get(
    '/api/device-models/:id',
    { config: { access: ACCESS.staff }, schema: { tags: ['registry'], params: z.object({ id: idSchema }), response: { 200: model } } },
    async (req) => {
      const found = await deps.repos.deviceModels.get(req.params.id);
      if (!found) throw notFound('device model', req.params.id);
      return found;
    },
  );
};
