import { z } from 'zod';
import { ACCESS } from '../access-policy.ts';
import type { RouteModule } from '../deps.ts';
import { mayReadMetrics } from '../metrics-access.ts';

/** Liveness and readiness (public, for load balancers) and Prometheus metrics (token or local scraper). */
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

  // Issue 15: live alarm counters are not public (src/api/metrics-access.ts).
  app.get('/metrics', { config: { access: ACCESS.public }, schema: { hide: true } }, async (req, reply) => {
    const may = mayReadMetrics(deps.metricsAccess, req);
    if (may === 'elsewhere')
      return reply.code(404).send({
        error: { code: 'CENTINELA_ERR_NOT_FOUND', message: '/metrics is served on the metrics listener only', requestId: String(req.id) },
      });
    if (may === 'no-token')
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: { code: 'CENTINELA_ERR_AUTH_MISSING', message: '/metrics needs the metrics token', requestId: String(req.id) } });
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
};
