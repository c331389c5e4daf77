import type { Gateway } from '../domain/gateway.ts';
import type { EventBus } from '../events/index.ts';
import type { Clock, Logger, Metrics, Part } from '../platform/index.ts';
import { generateCredential, hashDeviceSecret } from '../platform/secrets.ts';
import { type Actor, AlarmJournal, type Repositories, type Store } from '../store/index.ts';
import type { TelemetryTable } from '../store/schema-ingest.ts';
import { EmbeddedTelemetryStore, FanOutTelemetry, type TelemetrySink } from '../store/telemetry/index.ts';
import { DEFAULT_ADMISSION, HeartbeatAdmission } from './admission.ts';
import { AfterPuback } from './after-puback.ts';
import { AlarmCommits } from './alarm-commits.ts';
import { Authenticator } from './auth/authenticator.ts';
import { SecretUpgrades } from './auth/secret-upgrades.ts';
import { startEmbeddedBroker } from './broker/embedded.ts';
import { readSomaxconn, reportListenBacklog } from './broker/listen-backlog.ts';
import { ConnectionTracker } from './connection-tracker.ts';
import type { IngestContext } from './context.ts';
import { DeviceViews } from './device-views.ts';
import { wireDownlink } from './downlink.ts';
import { IngestErrorLog, type IngestErrorView, type UnregisteredHardware } from './ingest-errors.ts';
import { JournalReplay } from './journal-replay.ts';
import { LoadMonitor } from './load-monitor.ts';
import { createIngestMetrics } from './metrics.ts';
import { mqttConnectionCeiling, OpenFilesWatch, readOpenFileLimit } from './open-files.ts';
import {
  type GatewaysConfig,
  type InreachIntake,
  type ProtocolGateways,
  type ProtocolPorts,
  startProtocolGateways,
} from './protocols/index.ts';

export type { Gateway } from '../domain/gateway.ts';
export type { TelemetryTable as TelemetryRow } from '../store/schema-ingest.ts';
export type { IngestErrorView, UnregisteredHardware } from './ingest-errors.ts';

/** The slice of configuration ingest reads (main passes it from the validated config). */
export interface IngestConfig {
  port: number;
  host: string;
  tls: { port: number; certFile: string; keyFile: string } | undefined;
  externalUrl: string | undefined;
  /** How often the embedded broker tells other nodes it is alive (CENTINELA_MQTT_NODE_HEARTBEAT_S); absent = aedes' 60 s. */
  nodeHeartbeatMs?: number | undefined;
  redisUrl: string | undefined;
  influx: { url: string; token: string; org: string; bucket: string } | undefined;
  /** Protocol gateways (issue 17); absent = none. */
  gateways?: GatewaysConfig | undefined;
  /** The data folder, where the local alarm journal lives (issue 13); absent = no journal. */
  dataDir?: string | undefined;
  /** How long an alarm waits for the store before it is journaled (CENTINELA_ALARM_STORE_TIMEOUT_MS). */
  alarmStoreTimeoutMs?: number | undefined;
}

/** The store's bound for an alarm when the configuration names none. */
export const DEFAULT_ALARM_STORE_TIMEOUT_MS = 3_000;

export interface IngestDeps {
  config: IngestConfig;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  store: Store;
  repos: Repositories;
  events: EventBus;
  /**
   * Whether this node supervises liveness (health decides). With an external broker's share
   * group, only that node acts on devices' `status`, which it hears in the broker's order.
   */
  supervising?: () => boolean;
}

const NO_GATEWAYS: GatewaysConfig = {
  host: '0.0.0.0',
  gt06Port: undefined,
  dc09Port: undefined,
  dc09KeysFile: undefined,
  sbdPort: undefined,
  sbdMtAddress: undefined,
  inreachToken: undefined,
};

/** Telemetry is kept this long unless the retention job is told otherwise. */
export const TELEMETRY_RETENTION_DAYS = 400;

/** What the HTTP layer (and the health part's jobs) may ask of ingest. */
export interface IngestApi {
  /** The embedded broker's MQTT port (undefined in external-broker mode). */
  mqttPort: number | undefined;
  /** The TLS listener's port, when one is configured (the real one when 0 was asked). */
  mqttTlsPort: number | undefined;
  /** The ports the protocol gateways bound (issue 17). */
  protocolPorts: ProtocolPorts;
  /** The inReach IPC Outbound intake, when its token is configured (src/api/routes/ingest/inreach.ts). */
  inreach: InreachIntake | undefined;
  telemetry(q: { deviceId: string; from: number; to: number; limit: number }): Promise<TelemetryTable[]>;
  /** Writes buffered telemetry now (tests, shutdown). */
  flushTelemetry(): Promise<void>;
  /** Retention: deletes telemetry received before `olderThan` (epoch ms); returns the count. */
  pruneTelemetry(olderThan: number): Promise<number>;
  ingestErrors(deviceId: string): Promise<IngestErrorView>;
  /** Hardware ids heard by a protocol gateway that no registered device carries. */
  unregisteredHardware(): Promise<UnregisteredHardware[]>;
  gateways: {
    list(): Promise<Gateway[]>;
    get(id: string): Promise<Gateway>;
    create(
      actor: Actor,
      input: { id: string; description?: string | undefined; deviceIds: string[] },
    ): Promise<{ gateway: Gateway; secret: string }>;
    setDevices(actor: Actor, id: string, deviceIds: string[]): Promise<Gateway>;
    retire(actor: Actor, id: string): Promise<Gateway>;
    rotateSecret(actor: Actor, id: string): Promise<{ gateway: Gateway; secret: string }>;
  };
}

async function telemetrySinks(
  deps: IngestDeps,
  embedded: EmbeddedTelemetryStore,
  onDropped: (sink: string, n: number) => void,
): Promise<TelemetrySink> {
  if (!deps.config.influx) return embedded;
  // Loaded only when InfluxDB is configured.
  const { InfluxTelemetryWriter } = await import('../store/telemetry/influx.ts');
  const influx = new InfluxTelemetryWriter(
    { ...deps.config.influx, onDropped: (n) => onDropped('influx', n) },
    deps.logger.child({ part: 'influx' }),
  );
  return new FanOutTelemetry([embedded, influx], (sink) => onDropped(sink, 1));
}

/** Starts MQTT intake: the embedded broker, or a consumer of the external broker (MQTT_URL). */
export async function startIngest(deps: IngestDeps): Promise<Part<IngestApi>> {
  const logger = deps.logger.child({ part: 'ingest' });
  const metrics = createIngestMetrics(deps.metrics);
  const dropped = (sink: string, n: number) => metrics.telemetryDropped.inc({ sink }, n);
  const embedded = new EmbeddedTelemetryStore(deps.store, logger, { onDropped: (n) => dropped('embedded', n) });
  const telemetry = await telemetrySinks(deps, embedded, dropped);
  const monitor = new LoadMonitor(
    undefined,
    (overloaded) => {
      metrics.overloaded.set(overloaded ? 1 : 0);
      logger.warn({ overloaded }, overloaded ? 'intake overloaded: shedding heartbeats' : 'intake load back to normal');
    },
    // A telemetry store that cannot keep up is overload too, whatever the event loop says.
    () => telemetry.pending() > 40_000,
  );
  const errors = new IngestErrorLog(deps.repos.ingestErrors, logger);
  const gateways = deps.repos.gateways;
  const ctx: IngestContext = {
    repos: deps.repos,
    events: deps.events,
    clock: deps.clock,
    logger,
    metrics,
    telemetry,
    errors,
    admission: new HeartbeatAdmission(DEFAULT_ADMISSION, () => monitor.isOverloaded()),
    connections: new ConnectionTracker(deps.events),
    afterPuback: new AfterPuback(),
    alarmCommits: new AlarmCommits(deps.repos.alarmIntake, (n) => metrics.alarmsPerCommit.observe(n)),
    alarmStore: {
      timeoutMs: deps.config.alarmStoreTimeoutMs ?? DEFAULT_ALARM_STORE_TIMEOUT_MS,
      journal: deps.config.dataDir ? AlarmJournal.open(deps.config.dataDir, logger) : undefined,
      away: false,
    },
    views: new DeviceViews(),
  };
  const journal = ctx.alarmStore.journal;
  const replay = journal ? new JournalReplay(ctx, journal) : undefined;

  const upgrades = new SecretUpgrades(deps.repos, logger);
  const openFiles = new OpenFilesWatch(readOpenFileLimit(), logger, metrics);
  const ceiling = {
    max: openFiles.limit === undefined ? undefined : mqttConnectionCeiling(openFiles.limit),
    onRefused: () => openFiles.refused(),
  };
  if (ceiling.max !== undefined)
    logger.info(
      { openFileLimit: openFiles.limit, mqttConnectionCeiling: ceiling.max },
      'open-file limit read: devices per process are bounded by it',
    );
  if (!deps.config.externalUrl) reportListenBacklog(logger, readSomaxconn());
  const transport = deps.config.externalUrl
    ? await (await import('./external/consumer.ts')).startExternalConsumer(
        deps.config.externalUrl,
        ctx,
        logger,
        deps.supervising ?? (() => true),
      )
    : await startEmbeddedBroker(deps.config, {
        ctx,
        auth: new Authenticator(deps.repos, gateways, deps.clock, upgrades, ctx.alarmStore.timeoutMs),
        logger,
        clock: deps.clock,
        metrics,
        platformMetrics: deps.metrics,
        ceiling,
      });
  const offDownlink = wireDownlink(deps.events, transport.publish, logger);
  let protocols: ProtocolGateways;
  try {
    protocols = await startProtocolGateways(deps.config.gateways ?? NO_GATEWAYS, { ctx, metrics: deps.metrics, logger, clock: deps.clock });
  } catch (err) {
    offDownlink();
    await transport.stop();
    await replay?.stop();
    journal?.close();
    throw err;
  }

  const withSecret = async (gateway: Promise<Gateway>, secret: string) => ({ gateway: await gateway, secret });
  const api: IngestApi = {
    mqttPort: 'port' in transport ? transport.port : undefined,
    mqttTlsPort: 'tlsPort' in transport ? transport.tlsPort : undefined,
    protocolPorts: protocols.ports,
    inreach: protocols.inreach,
    telemetry: async (q) => {
      await telemetry.flush();
      return embedded.query(q);
    },
    flushTelemetry: () => telemetry.flush(),
    pruneTelemetry: async (olderThan) => {
      await errors.prune(olderThan);
      return embedded.prune(olderThan);
    },
    ingestErrors: (deviceId) => errors.view(deviceId),
    unregisteredHardware: () => errors.unregistered(),
    gateways: {
      list: () => gateways.list(),
      get: (id) => gateways.require(id),
      create: async (actor, input) => {
        const secret = generateCredential('gw');
        return withSecret(gateways.create(actor, input, hashDeviceSecret(secret)), secret);
      },
      setDevices: (actor, id, deviceIds) => gateways.setDevices(actor, id, deviceIds),
      retire: (actor, id) => gateways.retire(actor, id),
      rotateSecret: async (actor, id) => {
        const secret = generateCredential('gw');
        await gateways.rotateSecret(actor, id, hashDeviceSecret(secret));
        return withSecret(gateways.require(id), secret);
      },
    },
  };

  return {
    name: 'ingest',
    api,
    readiness: {
      mqtt: () => ('isListening' in transport ? transport.isListening() : transport.isConnected()),
      // False at 90 % of the open-file limit: send new devices to another node (docs/capacity.md).
      open_files: () => !openFiles.nearLimit(),
    },
    stop: async () => {
      offDownlink();
      monitor.stop();
      await protocols.stop();
      openFiles.stop();
      await transport.stop();
      ctx.connections.flush();
      await replay?.stop();
      ctx.afterPuback.flush();
      journal?.close();
      await upgrades.stop();
      await telemetry.close();
      await errors.close();
    },
  };
}
