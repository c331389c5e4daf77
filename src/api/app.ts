import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { installAuth, type RouteEntry } from './auth.ts';
import type { ApiDeps, App, RouteModule } from './deps.ts';
import { errorHandler } from './errors.ts';
import { ROUTE_MODULES } from './routes/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its access rule, for the role-matrix test and the docs. */
    routeCatalogue: RouteEntry[];
  }
}

/**
 * Builds the HTTP application without listening, so tests drive it with `inject()`.
 * `modules` lets the composition root add the resources of later parts (alarms, reports).
 */
export async function buildApp(deps: ApiDeps, modules: RouteModule[] = []): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ part: 'api' }) as FastifyBaseLogger,
    // Requests are counted in metrics, not logged one by one: URLs can name people's records.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    trustProxy: false,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Fastify applies the error handler to routes declared after it (docs/dependencies.md).
  app.setErrorHandler(errorHandler(deps.logger, deps.store.health));
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({
      error: { code: 'CENTINELA_ERR_NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}`, requestId: String(req.id) },
    }),
  );

  // Route modules may add ways to authenticate (the console's session cookie) while registering.
  const authenticators = [...(deps.authenticators ?? [])];
  const catalogue = installAuth(app, { repos: deps.repos, metrics: deps.metrics, extra: authenticators });
  app.decorate('routeCatalogue', catalogue);

  // Requests in flight when shutdown starts still finish; their keep-alive sockets then close
  // instead of holding the process open until the keep-alive timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    // Issue 15: what needs a login may carry personal data: no browser or proxy may keep a copy.
    if (req.routeOptions.config?.access !== 'public' && req.routeOptions.config?.access !== undefined)
      reply.header('cache-control', 'no-store');
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (req, reply) => {
    deps.metrics.httpRequests.inc({ route: req.routeOptions.url ?? 'unknown', status: String(reply.statusCode) });
    if (reply.statusCode >= 500)
      req.log.warn({ method: req.method, route: req.routeOptions.url, status: reply.statusCode, requestId: req.id }, 'request failed');
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Centinela',
        description: 'Alarm-receiving centre for protection measures: devices, alarms, health and reports.',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const moduleDeps = { ...deps, authenticators };
  for (const module of [...ROUTE_MODULES, ...modules]) await module(app, moduleDeps);
  await app.ready();
  return app;
}
