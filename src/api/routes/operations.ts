import { z } from 'zod';
import { ACCESS } from '../access-policy.ts';
import type { RouteModule } from '../deps.ts';
import { mayReadMetrics } from '../metrics-access.ts';

/** Liveness and readiness (public, for load balancers) and Prometheus metrics (token or local scraper). */
export const operationsRoutes: RouteModule = (app, deps) => {
  app.get('/healthz', { config: { access: ACCESS.public }, schema: { hide: true } }, async () => ({ status: 'ok' }));

  // Issue 13: not ready while the store cannot commit (a full disk, a read-only or unreachable
  // database), with the reason; a probe commit proves it, not a mere `select 1`.
  const readiness = z.object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.record(z.string(), z.boolean()),
    reasons: z.record(z.string(), z.string()).optional(),
  });
  app.get(
    '/readyz',
    {
      config: { access: ACCESS.public },
      schema: { hide: true, response: { 200: readiness, 503: readiness } },
    },
    async (_req, reply) => {
      const store = await deps.store.health.check(deps.clock.now());
      const checks: Record<string, boolean> = { database: store.ok };
      const reasons: Record<string, string> = store.reason ? { database: store.reason } : {};
      for (const [name, check] of Object.entries(deps.readiness ?? {})) checks[name] = await check();
      const ready = Object.values(checks).every(Boolean);
      const body = { checks, ...(Object.keys(reasons).length > 0 ? { reasons } : {}) };
      return ready ? reply.code(200).send({ status: 'ready', ...body }) : reply.code(503).send({ status: 'not_ready', ...body });
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
