import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AlertsApi } from '../alerts/index.ts';
import type { EventBus } from '../events/index.ts';
import type { HealthApi } from '../health/index.ts';
import type { IngestApi } from '../ingest/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Logger } from '../platform/logger.ts';
import type { Metrics } from '../platform/metrics.ts';
import type { Repositories, Store } from '../store/index.ts';
import type { Authenticator } from './auth.ts';
import type { MetricsAccess } from './metrics-access.ts';

/** Everything the HTTP layer needs, handed in by the composition root (or a test). */
export interface ApiDeps {
  store: Store;
  repos: Repositories;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
  /** Extra readiness checks (the broker listening, for instance): name → healthy. */
  readiness?: Record<string, () => boolean | Promise<boolean>>;
  /** Ways to authenticate besides the bearer token; a route module may push its own. */
  authenticators?: Authenticator[];
  /** Issue 15: who may read /metrics on the main port. */
  metricsAccess?: MetricsAccess;
  /** Issue 15: the event bus, to announce revoked credentials and close their live sessions. */
  events?: EventBus;
  /** The running parts; absent in tests that exercise the registry alone. */
  parts?: { ingest?: IngestApi; alerts?: AlertsApi; health?: HealthApi };
  /** Console settings: raster tiles for the operator's map (CENTINELA_MAP_TILE_URL), none by default. */
  console?: { mapTileUrl: string | undefined };
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** One API resource: a plugin that declares its routes on the typed instance. */
export type RouteModule = (app: App, deps: ApiDeps) => void | Promise<void>;
