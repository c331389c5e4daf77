import { DEFAULT_TIME_ZONE } from '../domain/calendar.ts';
import type { EventBus } from '../events/index.ts';
import type { Clock, Logger, Metrics, Part } from '../platform/index.ts';
import { type Leadership, type Repositories, WriteQueue } from '../store/index.ts';
import { type HealthApi, healthApi } from './api.ts';
import { ConfigDownlinks } from './config-downlink.ts';
import { DeviceDirectory } from './device-directory.ts';
import { wireGatewayLiveness } from './gateway-liveness.ts';
import { closeTestTasks, healthJobs } from './job-definitions.ts';
import { JobScheduler } from './jobs.ts';
import { leadHealth } from './leadership.ts';
import { registerLivenessGauge } from './liveness-gauge.ts';
import { PathSupervision } from './path-supervision.ts';
import { ProtectionGaps } from './protection-gaps.ts';
import { ServiceWindows } from './service-windows.ts';
import { loadSuitabilityThresholds } from './suitability/load.ts';
import { Supervision } from './supervision.ts';
import { Supervisor } from './supervisor.ts';
import { TelemetrySummary } from './telemetry.ts';
import { startWatchdog } from './watchdog.ts';

export { INCIDENT_KINDS, type Incident, type IncidentFilter, type IncidentKind, type MaintenanceWindow } from '../domain/health.ts';
export type { HealthApi } from './api.ts';
export type { DeviceDiagnosis } from './diagnosis-service.ts';
export type { FleetFilter, FleetItem } from './fleet.ts';
export type { JobStatus } from './jobs.ts';
export { buildPathReport } from './path-report-service.ts';
export { buildReport, type ReportParams, type ReportRunOptions } from './report-service.ts';
export { loadSuitabilityThresholds } from './suitability/load.ts';
export { buildSuitability } from './suitability/service.ts';

/** The slice of configuration health reads. Timings are optional so tests can shorten them. */
export interface HealthConfig {
  watchdog: { url: string; intervalS: number } | undefined;
  /** How often due deadlines are fired; ≤ 1 s keeps "offline within window + 1 s". */
  tickMs?: number;
  /**
   * How often buffered telemetry counts and last-heard times are written (default 5 min). Both
   * change with every heartbeat; writing them in rare batches is what lets one process supervise
   * 100,000 devices. A crash loses at most this much of them — never a state change, which is
   * written at once.
   */
  flushMs?: number;
  /** How often Centinela stamps "alive" in its database (outages are measured from it). */
  aliveEveryMs?: number;
  /** How often changed registry rows are picked up. */
  syncMs?: number;
  sampleEveryMs?: number;
  /** Cron expressions by job name; `false` leaves jobs unscheduled (they still run on demand). */
  jobs?: Partial<Record<string, string>> | false;
  timezone?: string;
  /** The suitability thresholds file (default: src/health/suitability/thresholds.json). */
  suitabilityFile?: string | undefined;
  /** Ingest's telemetry pruning, for the retention job (ingest starts after health). */
  pruneTelemetry?: (olderThan: number) => Promise<number>;
  telemetryRetentionDays?: number;
  /** Issue 15: longest maintenance window without a supervisor (CENTINELA_MAINTENANCE_MAX_H; default 72 h). */
  maxMaintenanceMs?: number;
  /**
   * PostgreSQL connection string for leadership (issue 8). Several nodes share one database:
   * one at a time fires supervision deadlines and one runs the scheduled jobs. Unset (SQLite):
   * this node does both.
   */
  leadershipUrl?: string | undefined;
}

export interface HealthDeps {
  config: HealthConfig;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  repos: Repositories;
  events: EventBus;
}

/** Wires supervision, service windows, telemetry, jobs and leadership, and starts their timers. */
export async function startHealth(deps: HealthDeps): Promise<Part<HealthApi>> {
  const { repos, clock, events, config } = deps;
  const logger = deps.logger.child({ part: 'health' });
  // Data, validated before anything starts: a bad file stops the start naming file and field.
  const thresholds = loadSuitabilityThresholds(config.suitabilityFile);
  const offBadRows = repos.badRows.listen((err) => logger.error({ err: { code: err.code, ...err.details } }, 'stored row skipped'));
  const writes = new WriteQueue(logger);
  // Telemetry summaries (their own tables) are flushed in their own line: a state change never waits behind them.
  const bulk = new WriteQueue(logger);
  const directory = new DeviceDirectory(repos.supervisedDevices);
  const gaps = new ProtectionGaps(directory);
  const telemetry = new TelemetrySummary(repos.healthTelemetry, { sampleEveryMs: config.sampleEveryMs ?? 15 * 60_000 });
  const supervisor = new Supervisor({ directory, liveness: repos.liveness, gaps, events, writes });
  const supervision = new Supervision({ directory, supervisor, gaps, repos, writes, clock, logger });
  const windows = new ServiceWindows({
    supervision,
    directory,
    repos,
    writes,
    clock,
    ...(config.maxMaintenanceMs ? { maxMaintenanceMs: config.maxMaintenanceMs } : {}),
  });

  // Rebuilt from the database at start: the outage this start ends, the registry, open gaps, states, windows.
  const outage = await repos.centreOutages.recordStart(clock.now(), 1000);
  // `since`, not `from`: the logger redacts `from` (a phone number in Twilio's callbacks).
  if (outage) logger.warn({ since: new Date(outage[0]).toISOString(), durationMs: outage[1] - outage[0] }, 'centre outage recorded');
  await supervision.load();
  const clustered = repos.databaseScope.engine === 'postgres' && config.leadershipUrl !== undefined;
  if (repos.databaseScope.engine === 'postgres' && !clustered)
    logger.warn('no leadership URL: this node supervises and runs jobs as if it were alone on the database');
  if (!clustered) await supervision.takeOver();
  await windows.load(clock.now());

  const tick = (): void => {
    const now = clock.now();
    if (supervision.tick(now)) windows.due(now);
  };
  const flush = async (): Promise<void> => {
    supervision.queueLastSeen();
    bulk.enqueue('telemetry', () => telemetry.flush());
    await Promise.all([writes.drain(), bulk.drain()]);
    await writes.drain();
  };
  const configDownlinks = new ConfigDownlinks(repos, events, logger);
  const paths = new PathSupervision({ repos, clock, logger });
  await paths.refresh();
  const offs = [
    ...configDownlinks.wire(),
    ...supervision.listen(events),
    ...paths.listen(events),
    ...telemetry.listen(events, writes),
    closeTestTasks(events, repos.incidents, writes),
    ...wireGatewayLiveness(events, supervision, logger),
  ];

  const timeZone = config.timezone ?? DEFAULT_TIME_ZONE;
  const scheduler = new JobScheduler(repos.jobRuns, logger, clock, timeZone);
  const retention = {
    samplesDays: 30,
    eventsDays: 90,
    jobRunsDays: 180,
    heartbeatDaysDays: 3 * 366,
    telemetryDays: config.telemetryRetentionDays ?? 400,
  };
  scheduler.register(
    healthJobs({ repos, directory, flush, retention, pruneTelemetry: config.pruneTelemetry, timeZone }, config.jobs || {}),
  );
  const runJobs = config.jobs !== false;
  let leaderships: Leadership[] = [];
  if (clustered)
    leaderships = await leadHealth({ scope: repos.databaseScope, url: config.leadershipUrl, logger, supervision, scheduler, runJobs });
  else if (runJobs) scheduler.start();

  let running = true;
  const timers = [
    setInterval(tick, config.tickMs ?? 250),
    // Issue 18: bearers of dual-path devices (src/health/path-supervision.ts).
    setInterval(() => void paths.check().catch((err: unknown) => logger.error({ err }, 'path supervision failed')), 5_000),
    setInterval(() => void flush(), config.flushMs ?? 300_000),
    setInterval(() => writes.enqueue('alive', () => repos.centreOutages.stamp(clock.now())), config.aliveEveryMs ?? 30_000),
    setInterval(
      () => void supervision.sync().catch((err: unknown) => logger.error({ err }, 'registry sync failed')),
      config.syncMs ?? 10_000,
    ),
  ];
  for (const t of timers) t.unref();
  const watchdog = config.watchdog ? startWatchdog(config.watchdog, logger, clock, () => running) : undefined;
  registerLivenessGauge(deps.metrics, directory, supervisor);

  logger.info({ devices: directory.size, deadlines: supervisor.deadlines }, 'health supervision started');
  return {
    name: 'health',
    api: healthApi({
      timeZone,
      supervising: () => supervision.active,
      thresholds,
      repos,
      clock,
      directory,
      supervisor,
      telemetry,
      windows,
      scheduler,
      flush,
      tick,
      drain: () => writes.drain(),
      configDownlinks,
    }),
    readiness: { health: () => running },
    stop: async () => {
      running = false;
      for (const t of timers) clearInterval(t);
      for (const off of offs) off();
      watchdog?.stop();
      await Promise.all(leaderships.map((l) => l.stop()));
      await scheduler.stop();
      await flush();
      // A clean stop is still downtime; the next start measures the outage from this stamp.
      await repos.centreOutages.stamp(clock.now());
      offBadRows();
    },
  };
}
