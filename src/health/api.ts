import { notFound } from '../domain/errors.ts';
import type { Incident, IncidentFilter, MaintenanceWindow } from '../domain/health.ts';
import type { LivenessState } from '../domain/liveness.ts';
import type { CostRow, ReliabilityRow, Report } from '../domain/reports.ts';
import type { PathAvailabilityReport } from '../domain/reports-paths.ts';
import type { personSuitability, SuitabilityReport, SuitabilityThresholds } from '../domain/suitability.ts';
import type { Clock } from '../platform/index.ts';
import type { Actor, Repositories } from '../store/index.ts';
import type { ConfigDownlinks } from './config-downlink.ts';
import type { DeviceDirectory } from './device-directory.ts';
import { type DeviceDiagnosis, diagnoseDevice } from './diagnosis-service.ts';
import { type FleetFilter, type FleetItem, fleetList } from './fleet.ts';
import type { JobScheduler, JobStatus } from './jobs.ts';
import { buildPathReport } from './path-report-service.ts';
import { buildReport, type ReportParams } from './report-service.ts';
import type { ServiceWindows } from './service-windows.ts';
import { buildPersonSuitability, buildSuitability } from './suitability/service.ts';
import type { Supervisor } from './supervisor.ts';
import type { TelemetrySummary } from './telemetry.ts';

export type PersonSuitability = ReturnType<typeof personSuitability>;

/** What the HTTP layer (and tests) may ask of health. */
export interface HealthApi {
  /** The centre's time zone (CENTINELA_TIME_ZONE): reports run on its days. */
  readonly timeZone: string;
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
  /** Issue 18 §5: availability per path of dual-path devices; analysts get small groups withheld. */
  pathAvailabilityReport(params: ReportParams, suppressSmallGroups: boolean): Promise<PathAvailabilityReport>;
  /** Is each measure worth it in each place (issue 19); analysts get small cells withheld. */
  suitabilityReport(period: { from: number; to: number }, suppressSmallGroups: boolean): Promise<SuitabilityReport>;
  /** One person's measures with figures and verdicts (personal data: the caller audits the read). */
  personSuitability(beneficiaryId: string, period: { from: number; to: number }): Promise<PersonSuitability>;
  jobs(): Promise<JobStatus[]>;
  runJob(name: string): Promise<JobStatus['lastRun']>;
  /** Fires due deadlines now (the timer does it every tickMs). */
  tick(): void;
  /** Issue 14 §9: a device's heartbeat interval changed; its `config` downlink is sent (and resent until acknowledged). */
  configChanged(deviceId: string): Promise<void>;
  /** Whether this node supervises liveness now (the leader on a shared database, or a node alone). */
  readonly supervising: boolean;
}

export interface HealthApiDeps {
  timeZone: string;
  supervising(): boolean;
  thresholds: SuitabilityThresholds;
  repos: Pick<Repositories, 'incidents' | 'healthTelemetry' | 'centreOutages' | 'healthReports' | 'pathReports' | 'protectionGaps'>;
  clock: Clock;
  directory: DeviceDirectory;
  supervisor: Supervisor;
  telemetry: TelemetrySummary;
  windows: ServiceWindows;
  scheduler: JobScheduler;
  flush(): Promise<void>;
  tick(): void;
  /** Waits until queued records are written. */
  drain(): Promise<void>;
  configDownlinks: ConfigDownlinks;
}

/** The health part's answers, each delegated to the module that owns the concept. */
export function healthApi(d: HealthApiDeps): HealthApi {
  const now = () => d.clock.now();
  return {
    timeZone: d.timeZone,
    get supervising() {
      return d.supervising();
    },
    flush: d.flush,
    tick: d.tick,
    configChanged: (deviceId) => d.configDownlinks.intervalChanged(deviceId),
    liveness: (id) => d.supervisor.liveness(id),
    fleet: (filter) => fleetList({ directory: d.directory, supervisor: d.supervisor, telemetry: d.telemetry }, filter, now()),
    diagnosis: async (id) => {
      await d.flush();
      return diagnoseDevice(
        { stored: d.repos.healthTelemetry, directory: d.directory, supervisor: d.supervisor, telemetry: d.telemetry },
        id,
        now(),
      );
    },
    putOnTest: (actor, deviceId, durationMs) => d.windows.putOnTest(actor, deviceId, durationMs),
    scheduleMaintenance: async (actor, deviceId, startsAt, endsAt, reason) => {
      const w = await d.windows.scheduleMaintenance(actor, deviceId, startsAt, endsAt, reason);
      // A window that starts now takes effect before the answer.
      d.tick();
      await d.drain();
      return w;
    },
    incidents: (filter) => d.repos.incidents.list(filter),
    reliabilityReport: async (params, suppress) => {
      await d.flush();
      return buildReport(d.repos, 'reliability', params, { asOf: now(), timeZone: d.timeZone, suppressSmallGroups: suppress });
    },
    suitabilityReport: async (period, suppress) => {
      await d.flush();
      return buildSuitability(d.repos, { ...period, asOf: now(), timeZone: d.timeZone, thresholds: d.thresholds }, suppress);
    },
    personSuitability: async (beneficiaryId, period) => {
      await d.flush();
      return buildPersonSuitability(d.repos, { ...period, asOf: now(), timeZone: d.timeZone, thresholds: d.thresholds }, beneficiaryId);
    },
    costReport: async (params, suppress) => {
      await d.flush();
      return buildReport(d.repos, 'cost', params, { asOf: now(), timeZone: d.timeZone, suppressSmallGroups: suppress });
    },
    pathAvailabilityReport: (params, suppress) =>
      buildPathReport(d.repos, params, { asOf: now(), timeZone: d.timeZone, suppressSmallGroups: suppress }),
    jobs: () => d.scheduler.status(),
    runJob: async (name) => {
      if (!d.scheduler.has(name)) throw notFound('job', name);
      return d.scheduler.runNow(name);
    },
  };
}
