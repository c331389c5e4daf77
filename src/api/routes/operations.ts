import { z } from 'zod';
import { ACCESS } from '../access-policy.ts';
import type { RouteModule } from '../deps.ts';

/** Liveness, readiness and Prometheus metrics: public, for load balancers and scrapers. */
export const operationsRoutes: RouteModule = (app, deps) => {
  app.get('/healthz', { config: { access: ACCESS.public }, schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    {
      config: { access: ACCESS.public },
      schema: {
        hide: true,
        response: {
          200: z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.boolean()) }),
          503: z.object({ status: z.literal('not_ready'), checks: z.record(z.string(), z.boolean()) }),
        },
      },
    },
    async (_req, reply) => {
      const checks: Record<string, boolean> = { database: await deps.store.ping() };
      for (const [name, check] of Object.entries(deps.readiness ?? {})) checks[name] = await check();
      const ready = Object.values(checks).every(Boolean);
      return ready ? reply.code(200).send({ status: 'ready', checks }) : reply.code(503).send({ status: 'not_ready', checks });
    },
  );

  app.get('/metrics', { config: { access: ACCESS.public }, schema: { hide: true } }, async (_req, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
};
