import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CentinelaError } from '../domain/errors.ts';
import type { Role } from '../domain/roles.ts';
import type { Metrics } from '../platform/metrics.ts';
import type { Actor, Principal, Repositories } from '../store/index.ts';
import { isDeclaredRule } from './access-policy.ts';
import { sendError } from './errors.ts';

/** What every route must declare: the roles it allows, or that it is public. */
export type RouteAccess = readonly Role[] | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
  }
  interface FastifyInstance {
    /** Issue 15: authenticates a request's credentials again (a long-lived stream checks it is still valid). */
    reauthenticate(req: FastifyRequest): Promise<Principal | undefined>;
  }
}

export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

/** Other ways to authenticate a request (the console's session cookie), tried after the bearer. */
export type Authenticator = (req: FastifyRequest) => Promise<Principal | undefined>;

/**
 * P6: no route without an access rule. A route registered without `config.access`, or with roles
 * that are not a rule of src/api/access-policy.ts, stops the start; every request to a non-public
 * route needs a valid token and an allowed role.
 */
export function installAuth(app: FastifyInstance, deps: { repos: Repositories; metrics: Metrics; extra?: Authenticator[] }): RouteEntry[] {
  const catalogue: RouteEntry[] = [];
  app.decorateRequest('principal', undefined);
  app.decorate('reauthenticate', (req: FastifyRequest) => authenticate(req, deps));

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.every((m) => m === 'HEAD' || m === 'OPTIONS')) return;
    // @fastify/swagger-ui and @fastify/static register their own routes: the docs are public.
    const access = route.config?.access ?? (route.url.startsWith('/docs') ? 'public' : undefined);
    if (!access) throw new Error(`route ${methods.join(',')} ${route.url} declares no access rule (config.access)`);
    if (!isDeclaredRule(access))
      throw new Error(`route ${methods.join(',')} ${route.url} declares roles that are not a rule of src/api/access-policy.ts`);
    for (const method of methods) if (method !== 'HEAD') catalogue.push({ method, url: route.url, access });
  });

  app.addHook('onRequest', async (req, reply) => {
    const access = req.routeOptions.config.access;
    if (access === 'public' || access === undefined) return;
    const principal = await authenticate(req, deps);
    if (!principal) {
      const hadCredentials = Boolean(req.headers.authorization) || Boolean(req.headers.cookie);
      deps.metrics.authFailures.inc({ surface: 'http', reason: hadCredentials ? 'invalid' : 'missing' });
      return sendError(
        req,
        reply.header('www-authenticate', 'Bearer'),
        hadCredentials
          ? new CentinelaError('CENTINELA_ERR_AUTH_INVALID', 'the token is not valid (unknown, revoked or malformed)')
          : new CentinelaError('CENTINELA_ERR_AUTH_MISSING', 'authentication required: send Authorization: Bearer <token>'),
      );
    }
    if (!access.includes(principal.role)) {
      deps.metrics.authFailures.inc({ surface: 'http', reason: 'forbidden' });
      return sendError(
        req,
        reply,
        new CentinelaError('CENTINELA_ERR_AUTH_FORBIDDEN', `the ${principal.role} role may not use this resource`),
      );
    }
    req.principal = principal;
  });
  return catalogue;
}

async function authenticate(req: FastifyRequest, deps: { repos: Repositories; extra?: Authenticator[] }): Promise<Principal | undefined> {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1] ? deps.repos.users.authenticate(match[1]) : undefined;
  }
  for (const extra of deps.extra ?? []) {
    const principal = await extra(req);
    if (principal) return principal;
  }
  return undefined;
}

/** The authenticated caller as an audit actor. Only call from non-public routes. */
export function actorOf(req: FastifyRequest): Actor {
  const p = req.principal;
  if (!p) throw new Error('actorOf called on a request without a principal');
  return { id: p.userId, role: p.role, requestId: String(req.id) };
}

export function roleOf(req: FastifyRequest): Role {
  return actorOf(req).role as Role;
}
