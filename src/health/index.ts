import { sql } from 'kysely';
import { CentinelaError, notFound } from '../domain/errors.ts';
import type { LivenessState } from '../domain/liveness.ts';
import type { CostRow, ReliabilityRow, Report } from '../domain/reports.ts';
import type { EventBus } from '../events/index.ts';
import type { Clock, Logger, Metrics, Part } from '../platform/index.ts';
import { type Actor, type Leadership, type Repositories, type Store, startLeadership, systemActor } from '../store/index.ts';
import { Agenda } from './agenda.ts';
import { CentreOutages } from './centre-outages.ts';
import { ConfigDownlinks } from './config-downlink.ts';
import { DeviceDirectory } from './device-directory.ts';
import { type DeviceDiagnosis, diagnoseDevice } from './diagnosis-service.ts';
import { type FleetFilter, type FleetItem, fleetList } from './fleet.ts';
import { wireGatewayLiveness } from './gateway-liveness.ts';
import { type Incident, type IncidentFilter, Incidents } from './incidents.ts';
import { healthJobs } from './job-definitions.ts';
import { JobScheduler, type JobStatus } from './jobs.ts';
import { LivenessStore } from './liveness-store.ts';
import { type MaintenanceWindow, MaintenanceWindows } from './maintenance.ts';
import { ProtectionGaps } from './protection-gaps.ts';
import { buildReport, type ReportParams } from './report-service.ts';
import { Supervisor } from './supervisor.ts';
import { TelemetrySummary } from './telemetry.ts';
import { startWatchdog } from './watchdog.ts';
import { WriteQueue } from './write-queue.ts';

export type { DeviceDiagnosis } from './diagnosis-service.ts';
export type { FleetFilter, FleetItem } from './fleet.ts';
export { INCIDENT_KINDS, type Incident, type IncidentFilter, type IncidentKind } from './incidents.ts';
export type { JobStatus } from './jobs.ts';
export type { MaintenanceWindow } from './maintenance.ts';
export { buildReport, type ReportParams } from './report-service.ts';

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
  /** Ingest's telemetry pruning, for the retention job (ingest starts after health). */
  pruneTelemetry?: (olderThan: number) => Promise<number>;
  telemetryRetentionDays?: number;
  /**
   * PostgreSQL connection string for leadership (issue 8). Several nodes share one database:
   * one at a time fires supervision deadlines and one runs the scheduled jobs, each taken over
   * within seconds when its node dies. Unset (SQLite): this node does both.
   */
  leadershipUrl?: string | undefined;
}

export interface HealthDeps {
  config: HealthConfig;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  store: Store;
  repos: Repositories;
  events: EventBus;
}

/** At most 4 h on test (docs/architecture.md "State machines"). */
export const MAX_TEST_MS = 4 * 3_600_000;

/** What the HTTP layer (and tests) may ask of health. */
export interface HealthApi {
  /** Writes everything buffered (telemetry counts, last-heard times) and waits for queued records. */
  flush(): Promise<void>;
  liveness(deviceId: string): { state: LivenessState; since: number; lastSeenAt: number | null } | undefined;
  fleet(filter: FleetFilter): FleetItem[];
  diagnosis(deviceId: string): Promise<DeviceDiagnosis>;
  putOnTest(actor: Actor, deviceId: string, durationMs: number): Promise<{ deviceId: string; onTestUntil: string }>;
  scheduleMaintenance(actor: Actor, deviceId: string, startsAt: number, endsAt: number, reason: string | null): Promise<MaintenanceWindow>;
  incidents(filter: IncidentFilter): Promise<Incident[]>;
  reliabilityReport(params: ReportParams, suppressSmallGroups: boolean): Promise<Report<ReliabilityRow>>;
  costReport(params: ReportParams, suppressSmallGroups: boolean): Promise<Report<CostRow>>;
  jobs(): Promise<JobStatus[]>;
  runJob(name: string): Promise<JobStatus['lastRun']>;
  /** Fires due deadlines now (the timer does it every tickMs). */
  tick(): void;
  /** Issue 14 §9: a device's heartbeat interval changed; its `config` downlink is sent (and resent until acknowledged). */
  configChanged(deviceId: string): Promise<void>;
}

/** Starts supervision, incidents, reports and scheduled jobs. */
export async function startHealth(deps: HealthDeps): Promise<Part<HealthApi>> {
  const { store, clock, events, logger: parentLogger, config } = deps;
  const logger = parentLogger.child({ part: 'health' });
  const writes = new WriteQueue(logger);
  // Telemetry summaries (their own tables) are flushed in their own line: a state change never waits behind them.
  const bulk = new WriteQueue(logger);
  const directory = new DeviceDirectory(store);
  const livenessStore = new LivenessStore(store);
  const incidents = new Incidents(store);
  const gaps = new ProtectionGaps(store, directory);
  const outages = new CentreOutages(store);
  const maintenance = new MaintenanceWindows(store);
  const telemetry = new TelemetrySummary(store, { sampleEveryMs: config.sampleEveryMs ?? 15 * 60_000 });
  const supervisor = new Supervisor({ directory, livenessStore, store, gaps, events, writes, logger });
  const agenda = new Agenda();
  const aliveEveryMs = config.aliveEveryMs ?? 30_000;

  // ---- rebuild from the database (docs/architecture.md: engines rebuild from it at start) ----
  const startedAt = clock.now();
  const outage = await outages.recordStart(startedAt, 1000);
  if (outage) logger.warn({ from: new Date(outage[0]).toISOString(), durationMs: outage[1] - outage[0] }, 'centre outage recorded');
  await directory.sync();
  await gaps.load();
  // Issue 8: on a shared PostgreSQL only the node leading supervision feeds the supervisor; a
  // follower leaves the states alone and rebuilds them from the database when it takes over.
  const clustered = store.engine === 'postgres' && config.leadershipUrl !== undefined;
  if (store.engine === 'postgres' && !clustered)
    logger.warn('no leadership URL: this node supervises and runs jobs as if it were alone on the database');
  let supervising = !clustered;
  if (!clustered) supervisor.restore(await livenessStore.loadAll(), startedAt);
  for (const w of await maintenance.pending(startedAt)) scheduleWindow(w);
  for (const d of directory.all())
    if (d.onTestUntil !== null) agenda.add(d.onTestUntil, { kind: 'test_end', deviceId: d.id, until: d.onTestUntil });

  function scheduleWindow(w: MaintenanceWindow) {
    agenda.add(w.startsAt, { kind: 'maintenance_start', deviceId: w.deviceId });
    agenda.add(w.endsAt, { kind: 'maintenance_end', deviceId: w.deviceId });
  }

  async function known(deviceId: string): Promise<boolean> {
    if (directory.get(deviceId)) return true;
    const meta = await directory.loadOne(deviceId);
    if (meta && supervising) supervisor.track(meta, clock.now());
    return meta !== undefined;
  }

  /** Anything authenticated from a device means it is alive. */
  function seen(deviceId: string): void {
    if (!supervising) return;
    if (supervisor.input(deviceId, { type: 'seen' }, clock.now())) return;
    // Not in the directory yet (registered since the last sync): look it up, in order with the records.
    writes.enqueue('lookup', async () => {
      if ((await known(deviceId)) && supervising) supervisor.input(deviceId, { type: 'seen' }, clock.now());
    });
  }

  // Liveness hears every node's devices (relayed events); records stay with the node that
  // received the message, so each is written once across the cluster.
  const everyNode = { origin: 'any' as const };
  const configDownlinks = new ConfigDownlinks(deps.repos, events, logger);
  const offs = [
    ...configDownlinks.wire(),
    events.on('heartbeat.received', (e) => seen(e.deviceId), everyNode),
    events.on('heartbeat.received', (e) => telemetry.onHeartbeat(e)),
    events.on('device.connected', (e) => seen(e.deviceId), everyNode),
    events.on(
      'device.disconnected',
      (e) => {
        // A goodbye (clean disconnect) is not silence; only the broker's last will starts the grace.
        if (e.lastWill && supervising) supervisor.input(e.deviceId, { type: 'last_will' }, clock.now());
      },
      everyNode,
    ),
    events.on('device.event.received', (e) => seen(e.deviceId), everyNode),
    events.on('device.event.received', (e) => {
      writes.enqueue('device event', () => telemetry.recordEvent(e.deviceId, e.kind, e.at, e.detail ?? null));
    }),
    events.on('alarm.raised', (e) => seen(e.deviceId), everyNode),
    events.on('alarm.raised', (e) => {
      if (e.test || e.kind === 'test')
        writes.enqueue('test done', () => incidents.close(e.deviceId, 'test_overdue', e.receivedAt, 'tested'));
    }),
    events.on('ingest.rejected', (e) => {
      writes.enqueue('ingest error', () => telemetry.recordEvent(e.deviceId, 'ingest_rejected', e.at, { reason: e.reason }));
    }),
    events.on('device.registered', (e) => {
      writes.enqueue('lookup', async () => {
        await known(e.deviceId);
      });
    }),
    ...wireGatewayLiveness(events, seen, logger),
  ];

  function tick(): void {
    // A follower keeps its agenda for when it leads: maintenance inputs are the leader's to apply.
    if (!supervising) return;
    const now = clock.now();
    supervisor.tick(now);
    for (const item of agenda.due(now)) {
      if (item.kind === 'maintenance_start') supervisor.input(item.deviceId, { type: 'maintenance_started' }, now);
      else if (item.kind === 'maintenance_end') supervisor.input(item.deviceId, { type: 'maintenance_ended' }, now);
      else if (item.kind === 'test_end') writes.enqueue('test end', () => endTest(item.deviceId, item.until));
    }
  }

  /** On test returns to service by itself (docs/architecture.md), unless the test was extended meanwhile. */
  async function endTest(deviceId: string, until: number): Promise<void> {
    const view = await deps.repos.devices.intakeView(deviceId);
    if (view?.onTestUntil !== until) return;
    await deps.repos.devices.setOnTest(systemActor('health'), deviceId, null);
    await directory.loadOne(deviceId);
  }

  async function flush(): Promise<void> {
    const dirty = supervisor.takeDirty(clock.now());
    bulk.enqueue('telemetry', () => telemetry.flush());
    // Last-heard times touch the liveness rows: in line with the transitions (no lock-order races on
    // PostgreSQL), in small pieces so that a state change queued meanwhile is written between them.
    const saveFrom = (i: number): void =>
      writes.enqueue('last seen', async () => {
        await livenessStore.saveLastSeen(dirty.slice(i, i + 1000));
        if (i + 1000 < dirty.length) saveFrom(i + 1000);
      });
    if (dirty.length > 0) saveFrom(0);
    await Promise.all([writes.drain(), bulk.drain()]);
    await writes.drain();
  }

  async function syncDirectory(): Promise<void> {
    const now = clock.now();
    for (const meta of await directory.sync()) {
      if (!supervising) continue;
      supervisor.track(meta, now);
      if (meta.retiredAt !== null && meta.retiredAt <= now) supervisor.input(meta.id, { type: 'retired' }, now);
    }
  }

  const jobContext = {
    store,
    directory,
    incidents,
    flush,
    retention: {
      samplesDays: 30,
      eventsDays: 90,
      jobRunsDays: 180,
      heartbeatDaysDays: 3 * 366,
      telemetryDays: config.telemetryRetentionDays ?? 400,
    },
    pruneTelemetry: config.pruneTelemetry,
  };
  const scheduler = new JobScheduler(store, logger, clock, config.timezone ?? 'America/Mexico_City');
  scheduler.register(healthJobs(jobContext, config.jobs || {}));
  const leaderships: Leadership[] = [];
  if (!clustered) {
    if (config.jobs !== false) scheduler.start();
  } else {
    // Advisory locks are per database: the schema in the role keeps clusters sharing one apart.
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db);
    const lead = (role: string, onAcquired: () => void | Promise<void>, onLost: () => void | Promise<void>) =>
      leaderships.push(
        startLeadership({
          role: `${role}:${rows[0]?.schema}`,
          engine: store.engine,
          url: config.leadershipUrl,
          onAcquired,
          onLost,
          logger,
        }),
      );
    lead(
      'supervision',
      async () => {
        // Taking over: the states the last leader wrote, each supervised device with a fresh window.
        await directory.sync();
        supervisor.restore(await livenessStore.loadAll(), clock.now());
        supervising = true;
      },
      () => {
        supervising = false;
      },
    );
    if (config.jobs !== false)
      lead(
        'jobs',
        () => scheduler.start(),
        () => scheduler.stop(),
      );
  }

  let running = true;
  const timers = [
    setInterval(tick, config.tickMs ?? 250),
    setInterval(() => void flush(), config.flushMs ?? 300_000),
    setInterval(() => writes.enqueue('alive', () => outages.stamp(clock.now())), aliveEveryMs),
    setInterval(() => void syncDirectory().catch((err: unknown) => logger.error({ err }, 'registry sync failed')), config.syncMs ?? 10_000),
  ];
  for (const t of timers) t.unref();
  const watchdog = config.watchdog ? startWatchdog(config.watchdog, logger, clock, () => running) : undefined;

  const gauge = new deps.metrics.Gauge({
    name: 'centinela_health_devices',
    help: 'Supervised devices by liveness state',
    labelNames: ['state'] as const,
    registers: [deps.metrics.registry],
    collect() {
      const counts = new Map<string, number>();
      for (const d of directory.all()) {
        const s = supervisor.stateOf(d.id) ?? 'never_seen';
        counts.set(s, (counts.get(s) ?? 0) + 1);
      }
      this.reset();
      for (const [state, n] of counts) this.set({ state }, n);
    },
  });
  void gauge;

  const now = () => clock.now();
  const api: HealthApi = {
    flush,
    tick,
    configChanged: (deviceId) => configDownlinks.intervalChanged(deviceId),
    liveness: (id) => supervisor.liveness(id),
    fleet: (filter) => fleetList({ directory, supervisor, telemetry }, filter, now()),
    diagnosis: async (id) => {
      await flush();
      return diagnoseDevice({ store, directory, supervisor, telemetry }, id, now());
    },
    putOnTest: async (actor, deviceId, durationMs) => {
      if (!(durationMs > 0 && durationMs <= MAX_TEST_MS)) {
        throw new CentinelaError('CENTINELA_ERR_VALIDATION', 'a device may be on test for at most 4 hours', { field: 'minutes' });
      }
      if (!(await known(deviceId))) throw notFound('device', deviceId);
      const until = now() + durationMs;
      await deps.repos.devices.setOnTest(actor, deviceId, until);
      await directory.loadOne(deviceId);
      agenda.add(until, { kind: 'test_end', deviceId, until });
      return { deviceId, onTestUntil: new Date(until).toISOString() };
    },
    scheduleMaintenance: async (actor, deviceId, startsAt, endsAt, reason) => {
      if (!(await known(deviceId))) throw notFound('device', deviceId);
      if (!(endsAt > startsAt)) throw new CentinelaError('CENTINELA_ERR_VALIDATION', 'endsAt must be after startsAt', { field: 'endsAt' });
      const w = await maintenance.create(actor, deviceId, startsAt, endsAt, reason, now());
      scheduleWindow(w);
      tick();
      await writes.drain();
      return w;
    },
    incidents: (filter) => incidents.list(filter),
    reliabilityReport: async (params, suppress) => {
      await flush();
      return buildReport(store, 'reliability', params, { asOf: now(), suppressSmallGroups: suppress });
    },
    costReport: async (params, suppress) => {
      await flush();
      return buildReport(store, 'cost', params, { asOf: now(), suppressSmallGroups: suppress });
    },
    jobs: () => scheduler.status(),
    runJob: async (name) => {
      if (!scheduler.has(name)) throw notFound('job', name);
      return scheduler.runNow(name);
    },
  };

  logger.info({ devices: directory.size, deadlines: supervisor.deadlines }, 'health supervision started');
  return {
    name: 'health',
    api,
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
      await outages.stamp(clock.now());
    },
  };
}
