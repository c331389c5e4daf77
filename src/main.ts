import type { AddressInfo } from 'node:net';
import { startAlerts } from './alerts/index.ts';
import { buildApp } from './api/app.ts';
import type { ApiDeps, App } from './api/deps.ts';
import { startMetricsListener } from './api/metrics-listener.ts';
import { listenWhileStarting } from './api/startup-listener.ts';
import type { Config } from './config/index.ts';
import { CentinelaError } from './domain/errors.ts';
import { EventBus, startRedisRelay } from './events/index.ts';
import { startHealth } from './health/index.ts';
import { type IngestApi, startIngest } from './ingest/index.ts';
import { type Clock, createLogger, createMetrics, type Logger, type Metrics, Shutdown, sha256Hex, systemClock } from './platform/index.ts';
import {
  AuditCheckpoints,
  createRepositories,
  loadCatalogue,
  migrateToLatest,
  openStore,
  type Repositories,
  type Store,
  startAuditCheckpoints,
} from './store/index.ts';

export interface StartOptions {
  logger?: Logger;
  clock?: Clock;
  /** Listen for HTTP (false in tests that only need the parts). */
  listen?: boolean;
}

export interface Centinela {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  store: Store;
  repos: Repositories;
  events: EventBus;
  app: App;
  /** What each running part offers (the MQTT port actually bound, reports, …). */
  parts: Required<NonNullable<ApiDeps['parts']>>;
  /** The HTTP base URL actually bound (with the real port when 0 was asked). */
  httpUrl: string;
  stop(): Promise<void>;
}

/**
 * The composition root: wires the parts in dependency order and returns a handle that stops
 * them in reverse. Nothing else constructs parts.
 */
export async function startCentinela(config: Config, options: StartOptions = {}): Promise<Centinela> {
  const started = Date.now();
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  const shutdown = new Shutdown(logger);
  const metrics = createMetrics();
  const events = new EventBus(logger);

  try {
    // Issue 13: /readyz answers from the first second, naming what the start waits for.
    const early =
      options.listen === false
        ? undefined
        : await listenOrExplain(() => listenWhileStarting(config.http.port, config.http.host), 'CENTINELA_HTTP_PORT', config.http.port);
    if (early) shutdown.add('startup listener', () => early.close());
    const store = await openStore(config.database.kind === 'sqlite' ? config.database : { kind: 'postgres', url: config.database.url });
    shutdown.add('store', () => store.close());
    store.health.useLogger(logger);
    early?.waitingFor('migrations');
    const applied = await migrateToLatest(store.db, store.engine);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');

    const repos = createRepositories(store, clock);
    early?.waitingFor('device catalogue');
    // Issue 15: the audit chain anchored outside the database, now, periodically and on shutdown
    // (registered here so it runs after every part has stopped, just before the store closes).
    const anchor = AuditCheckpoints.open(config.dataDir, config.audit.key, { create: true });
    if (anchor) {
      const checkpoints = startAuditCheckpoints(
        anchor,
        () => repos.audit.head(),
        () => clock.now(),
        config.audit.checkpointMs,
        (err) => logger.error({ err }, 'audit checkpoint not written'),
      );
      shutdown.add('audit checkpoints', () => checkpoints.stop());
    }
    await repos.deviceModels.upsertAll(await loadCatalogue());

    if (config.redisUrl) {
      // Several nodes: operators on any node see every node's alarms live.
      // Nodes of one cluster share one database: its identity names their channel, so two
      // clusters on one Redis never see each other's alarms.
      const cluster = sha256Hex(config.database.kind === 'postgres' ? config.database.url : config.database.file).slice(0, 16);
      early?.waitingFor('events relay');
      const relay = await startRedisRelay(events, config.redisUrl, logger, `centinela:events:${cluster}`);
      shutdown.add('events relay', () => relay.close());
      await relay.ready;
    }

    const common = { logger, clock, metrics, store, repos, events };
    // Consumers start before intake, so no event of the first device to connect is missed.
    // Ingest starts last, so health's retention job reaches it through this late binding.
    let ingestApi: IngestApi | undefined;
    const pruneTelemetry = (olderThan: number) => ingestApi?.pruneTelemetry(olderThan) ?? Promise.resolve(0);
    // On PostgreSQL several nodes may share the database: supervision and jobs are led by one.
    const leadershipUrl = config.database.kind === 'postgres' ? config.database.url : undefined;
    early?.waitingFor('health');
    const health = await startHealth({
      ...common,
      config: {
        watchdog: config.watchdog,
        pruneTelemetry,
        leadershipUrl,
        timezone: config.timeZone,
        suitabilityFile: config.suitabilityFile,
        maxMaintenanceMs: config.maintenanceMaxMs,
      },
    });
    shutdown.add('health', () => health.stop());
    early?.waitingFor('alerts');
    const alerts = await startAlerts({
      ...common,
      storeFailed: (err) => store.health.noteFailure(err) !== undefined,
      config: {
        publicUrl: config.http.publicUrl,
        twilio: config.twilio,
        webhook: config.webhook,
        ...config.alerts,
        paging: config.paging,
      },
    });
    shutdown.add('alerts', () => alerts.stop());
    early?.waitingFor('ingest');
    const ingest = await startIngest({
      ...common,
      supervising: () => health.api.supervising,
      config: {
        ...config.mqtt,
        redisUrl: config.redisUrl,
        influx: config.influx,
        gateways: config.gateways,
        dataDir: config.dataDir,
        alarmStoreTimeoutMs: config.alarmStoreTimeoutMs,
      },
    });
    shutdown.add('ingest', () => ingest.stop());
    ingestApi = ingest.api;

    early?.waitingFor('http');
    const readiness = Object.assign({}, health.readiness, alerts.readiness, ingest.readiness);
    const parts = { ingest: ingest.api, alerts: alerts.api, health: health.api };
    const metricsAccess = { token: config.metrics.token, separateListener: config.metrics.port !== undefined };
    const app = await buildApp({ store, repos, metrics, logger, clock, readiness, parts, events, metricsAccess, console: config.console });
    shutdown.add('http', () => app.close());
    let httpUrl = config.http.publicUrl;
    if (options.listen !== false) {
      // The startup listener hands the port over (the same one when 0 asked for any).
      const port = early?.port ?? config.http.port;
      await early?.close();
      await listenOrExplain(() => app.listen({ port, host: config.http.host }), 'CENTINELA_HTTP_PORT', port);
      const address = app.server.address() as AddressInfo;
      httpUrl = `http://127.0.0.1:${address.port}`;
    }
    if (config.metrics.port !== undefined) {
      const listener = await listenOrExplain(
        () => startMetricsListener(metrics, config.metrics.host, config.metrics.port as number),
        'CENTINELA_METRICS_PORT',
        config.metrics.port,
      );
      shutdown.add('metrics listener', () => listener.close());
      logger.info({ url: listener.url }, 'metrics listening');
    }

    logger.info(
      {
        http: httpUrl,
        database: store.engine,
        startupMs: Date.now() - started,
      },
      'centinela started',
    );
    return { config, logger, metrics, store, repos, events, app, parts, httpUrl, stop: () => shutdown.close() };
  } catch (err) {
    await shutdown.close();
    throw err;
  }
}

/** A port already taken stops the start with a message naming the variable to change. */
export async function listenOrExplain<T>(listen: () => Promise<T>, variable: string, port: number): Promise<T> {
  try {
    return await listen();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new CentinelaError(
        'CENTINELA_ERR_PORT_IN_USE',
        `port ${port} is ${code === 'EACCES' ? 'not allowed' : 'already in use'}: set ${variable} to a free port`,
        { variable, port },
      );
    }
    throw err;
  }
}
