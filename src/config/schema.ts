import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../domain/calendar.ts';

const port = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a TCP port number' })
    .int('expected a whole port number')
    .min(0, 'expected a port from 0 (any free port) to 65535')
    .max(65535, 'expected a port from 0 (any free port) to 65535')
    .default(fallback);

const optionalPort = z.coerce
  .number({ error: 'expected a TCP port number' })
  .int()
  .min(0, 'expected a port from 0 (any free port) to 65535')
  .max(65535, 'expected a port from 0 (any free port) to 65535')
  .optional();

const url = (protocols: string[]) =>
  z
    .url({ error: `expected a URL (${protocols.join(', ')})` })
    .refine(
      (u) => protocols.some((p) => u.startsWith(`${p}://`)),
      `expected a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    )
    .optional();

const nonEmpty = z.string().trim().min(1, 'must not be empty').optional();

/**
 * The environment Centinela reads (README.md "Configuration"). Every variable is optional:
 * without any, Centinela runs embedded (SQLite, in-process broker, console outbox).
 */
export const envSchema = z
  .object({
    CENTINELA_HTTP_PORT: port(8080),
    CENTINELA_HTTP_HOST: z.string().default('0.0.0.0'),
    CENTINELA_MQTT_PORT: port(1883),
    CENTINELA_MQTT_HOST: z.string().default('0.0.0.0'),
    CENTINELA_MQTT_TLS_PORT: optionalPort,
    CENTINELA_MQTT_TLS_CERT: nonEmpty,
    CENTINELA_MQTT_TLS_KEY: nonEmpty,
    /**
     * With several nodes (REDIS_URL): how often each embedded broker tells the others it is alive.
     * A node unheard for three of these is taken for dead and its devices' last wills are published
     * by a survivor (docs/capacity.md); a node stalled that long would be taken for dead too.
     */
    CENTINELA_MQTT_NODE_HEARTBEAT_S: z.coerce.number().int().min(1, 'at least 1 s').max(600, 'at most 600 s').default(60),
    CENTINELA_DATA_DIR: z.string().min(1).default('./data'),
    /** How long an alarm waits for the database before it is journaled locally (issue 13, docs/architecture.md). */
    CENTINELA_ALARM_STORE_TIMEOUT_MS: z.coerce.number().int().min(100, 'at least 100 ms').max(60_000, 'at most 60,000 ms').default(3_000),
    CENTINELA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    CENTINELA_PUBLIC_URL: url(['http', 'https']),
    CENTINELA_WEBHOOK_URL: url(['http', 'https']),
    CENTINELA_WEBHOOK_SECRET: nonEmpty,
    /** Extra escalation policies and message templates (a language for a community, say). */
    CENTINELA_POLICY_DIR: nonEmpty,
    CENTINELA_TEMPLATE_DIR: nonEmpty,
    DATABASE_URL: url(['postgres', 'postgresql']),
    INFLUX_URL: url(['http', 'https']),
    INFLUX_TOKEN: nonEmpty,
    INFLUX_ORG: nonEmpty,
    INFLUX_BUCKET: nonEmpty,
    MQTT_URL: url(['mqtt', 'mqtts', 'tcp', 'ssl', 'ws', 'wss']),
    REDIS_URL: url(['redis', 'rediss']),
    TWILIO_ACCOUNT_SID: z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'expected a Twilio account SID (AC followed by 32 hex digits)')
      .optional(),
    TWILIO_AUTH_TOKEN: nonEmpty,
    TWILIO_FROM: z
      .string()
      .regex(/^\+[1-9]\d{7,14}$/, 'expected a phone number in E.164 form, e.g. +15005550006')
      .optional(),
    /** Where Twilio's requests really go; set only to point the client at a local recorder. */
    TWILIO_API_BASE: url(['http', 'https']),
    CENTINELA_WATCHDOG_URL: url(['http', 'https']),
    CENTINELA_WATCHDOG_INTERVAL_S: z.coerce.number().int().min(5).max(3600).default(60),
    /** Paging through provider outages (docs/paging.md); tests scale the times down. */
    CENTINELA_PAGING_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(8),
    CENTINELA_PAGING_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(10_000),
    CENTINELA_PAGING_RETRY_BASE_MS: z.coerce.number().int().min(10).max(60_000).default(500),
    CENTINELA_PAGING_RETRY_CAP_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
    CENTINELA_PAGING_LEASE_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
    CENTINELA_PAGING_CALL_GAP_MS: z.coerce.number().int().min(0).max(600_000).default(60_000),
    /** Protocol gateways (issue 17): each listens only when its port (or token) is set. */
    CENTINELA_GATEWAY_HOST: z.string().default('0.0.0.0'),
    CENTINELA_GT06_PORT: optionalPort,
    CENTINELA_DC09_PORT: optionalPort,
    /** JSON file of SIA DC-09 accounts and their AES-128/192/256 keys (docs/protocols.md). */
    CENTINELA_DC09_KEYS_FILE: nonEmpty,
    CENTINELA_SBD_PORT: optionalPort,
    /** The Iridium gateway's DirectIP MT address, `host:port`, for alarm acknowledgements to terminals. */
    CENTINELA_SBD_MT_ADDRESS: z
      .string()
      .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'expected host:port of the Iridium DirectIP MT gateway, e.g. 12.47.179.12:10800')
      .optional(),
    /** The centre's time zone: reports and scheduled jobs run on its days (IANA name). */
    CENTINELA_TIME_ZONE: z
      .string()
      .refine(isTimeZone, 'expected an IANA time zone name, e.g. America/Mexico_City')
      .default(DEFAULT_TIME_ZONE),
    /** Suitability thresholds (issue 19); default: the shipped src/health/suitability/thresholds.json. */
    CENTINELA_SUITABILITY_FILE: nonEmpty,
    CENTINELA_INREACH_TOKEN: z
      .string()
      .trim()
      .min(24, 'must be at least 24 characters (a shared secret for Garmin IPC Outbound)')
      .optional(),
    /** Raster map tiles for the operator's map, e.g. https://tiles.example.org/{z}/{x}/{y}.png (none: outline only). */
    CENTINELA_MAP_TILE_URL: url(['http', 'https']),
    /** Issue 15: the key of the audit checkpoints (docs/audit.md); without it, a key file in the data folder. */
    CENTINELA_AUDIT_KEY: z.string().min(32, 'must be at least 32 characters (a secret kept outside the database)').optional(),
    CENTINELA_AUDIT_CHECKPOINT_S: z.coerce.number().int().min(1).max(3600).default(60),
    /** Issue 15: the longest maintenance window a technician may plan; longer ones need a supervisor. */
    CENTINELA_MAINTENANCE_MAX_H: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 365)
      .default(72),
    /** Issue 15: /metrics on the main port needs this bearer token; without it, only the metrics listener serves it. */
    CENTINELA_METRICS_TOKEN: z.string().trim().min(24, 'must be at least 24 characters').optional(),
    CENTINELA_METRICS_HOST: z.string().default('127.0.0.1'),
    CENTINELA_METRICS_PORT: optionalPort,
  })
  .superRefine((env, ctx) => {
    const allOrNone = (names: (keyof typeof env)[]) => {
      const set = names.filter((n) => env[n] !== undefined);
      if (set.length > 0 && set.length < names.length) {
        for (const n of names.filter((x) => env[x] === undefined)) {
          ctx.addIssue({
            code: 'custom',
            path: [n],
            message: `must be set together with ${set.join(', ')} (all of ${names.join(', ')} or none)`,
          });
        }
      }
    };
    allOrNone(['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM']);
    allOrNone(['INFLUX_URL', 'INFLUX_TOKEN', 'INFLUX_ORG', 'INFLUX_BUCKET']);
    allOrNone(['CENTINELA_MQTT_TLS_PORT', 'CENTINELA_MQTT_TLS_CERT', 'CENTINELA_MQTT_TLS_KEY']);
    if (env.CENTINELA_DC09_KEYS_FILE !== undefined && env.CENTINELA_DC09_PORT === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['CENTINELA_DC09_KEYS_FILE'],
        message: 'needs CENTINELA_DC09_PORT (the keys serve the DC-09 receiver)',
      });
    }
    const gatewayPorts = (['CENTINELA_GT06_PORT', 'CENTINELA_DC09_PORT', 'CENTINELA_SBD_PORT'] as const).filter(
      (n) => env[n] !== undefined && env[n] !== 0,
    );
    for (const n of gatewayPorts) {
      if (
        env[n] === env.CENTINELA_HTTP_PORT ||
        env[n] === env.CENTINELA_MQTT_PORT ||
        gatewayPorts.some((o) => o !== n && env[o] === env[n])
      ) {
        ctx.addIssue({ code: 'custom', path: [n], message: 'must differ from the other Centinela ports' });
      }
    }
    if (env.CENTINELA_HTTP_PORT !== 0 && env.CENTINELA_HTTP_PORT === env.CENTINELA_MQTT_PORT) {
      ctx.addIssue({ code: 'custom', path: ['CENTINELA_MQTT_PORT'], message: 'must differ from CENTINELA_HTTP_PORT' });
    }
  });

export type Env = z.infer<typeof envSchema>;

export interface Config {
  http: { port: number; host: string; publicUrl: string };
  mqtt: {
    port: number;
    host: string;
    tls: { port: number; certFile: string; keyFile: string } | undefined;
    /** Set: consume from an external broker instead of embedding one. */
    externalUrl: string | undefined;
    /** CENTINELA_MQTT_NODE_HEARTBEAT_S, in ms. */
    nodeHeartbeatMs: number;
  };
  dataDir: string;
  alarmStoreTimeoutMs: number;
  logLevel: Env['CENTINELA_LOG_LEVEL'];
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  influx: { url: string; token: string; org: string; bucket: string } | undefined;
  redisUrl: string | undefined;
  twilio: { accountSid: string; authToken: string; from: string; apiBase: string | undefined } | undefined;
  webhook: { url: string; secret: string | undefined } | undefined;
  alerts: { policyDir: string | undefined; templateDir: string | undefined };
  paging: { concurrency: number; requestTimeoutMs: number; retryBaseMs: number; retryCapMs: number; leaseMs: number; callGapMs: number };
  watchdog: { url: string; intervalS: number } | undefined;
  console: { mapTileUrl: string | undefined };
  gateways: GatewaysConfig;
  /** The centre's time zone (CENTINELA_TIME_ZONE). */
  timeZone: string;
  /** CENTINELA_SUITABILITY_FILE, when a centre keeps its own thresholds. */
  suitabilityFile: string | undefined;
  audit: { key: string | undefined; checkpointMs: number };
  /** Issue 15: longest maintenance window without a supervisor. */
  maintenanceMaxMs: number;
  /** Issue 15: /metrics needs `token` on the main port; `port` (on `host`, loopback by default) serves it apart. */
  metrics: { token: string | undefined; host: string; port: number | undefined };
}

/** Protocol gateways for devices that do not speak the MQTT contract (issue 17). */
export interface GatewaysConfig {
  host: string;
  gt06Port: number | undefined;
  dc09Port: number | undefined;
  dc09KeysFile: string | undefined;
  sbdPort: number | undefined;
  sbdMtAddress: { host: string; port: number } | undefined;
  inreachToken: string | undefined;
}

export function toConfig(env: Env): Config {
  const dataDir = path.resolve(env.CENTINELA_DATA_DIR);
  return {
    http: {
      port: env.CENTINELA_HTTP_PORT,
      host: env.CENTINELA_HTTP_HOST,
      publicUrl: env.CENTINELA_PUBLIC_URL ?? `http://localhost:${env.CENTINELA_HTTP_PORT}`,
    },
    mqtt: {
      port: env.CENTINELA_MQTT_PORT,
      host: env.CENTINELA_MQTT_HOST,
      tls:
        env.CENTINELA_MQTT_TLS_PORT !== undefined && env.CENTINELA_MQTT_TLS_CERT && env.CENTINELA_MQTT_TLS_KEY
          ? { port: env.CENTINELA_MQTT_TLS_PORT, certFile: env.CENTINELA_MQTT_TLS_CERT, keyFile: env.CENTINELA_MQTT_TLS_KEY }
          : undefined,
      externalUrl: env.MQTT_URL,
      nodeHeartbeatMs: env.CENTINELA_MQTT_NODE_HEARTBEAT_S * 1000,
    },
    dataDir,
    alarmStoreTimeoutMs: env.CENTINELA_ALARM_STORE_TIMEOUT_MS,
    logLevel: env.CENTINELA_LOG_LEVEL,
    database: env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'sqlite', file: path.join(dataDir, 'centinela.db') },
    influx:
      env.INFLUX_URL && env.INFLUX_TOKEN && env.INFLUX_ORG && env.INFLUX_BUCKET
        ? { url: env.INFLUX_URL, token: env.INFLUX_TOKEN, org: env.INFLUX_ORG, bucket: env.INFLUX_BUCKET }
        : undefined,
    redisUrl: env.REDIS_URL,
    twilio:
      env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM
        ? { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, from: env.TWILIO_FROM, apiBase: env.TWILIO_API_BASE }
        : undefined,
    webhook: env.CENTINELA_WEBHOOK_URL ? { url: env.CENTINELA_WEBHOOK_URL, secret: env.CENTINELA_WEBHOOK_SECRET } : undefined,
    alerts: { policyDir: env.CENTINELA_POLICY_DIR, templateDir: env.CENTINELA_TEMPLATE_DIR },
    paging: {
      concurrency: env.CENTINELA_PAGING_CONCURRENCY,
      requestTimeoutMs: env.CENTINELA_PAGING_TIMEOUT_MS,
      retryBaseMs: env.CENTINELA_PAGING_RETRY_BASE_MS,
      retryCapMs: env.CENTINELA_PAGING_RETRY_CAP_MS,
      leaseMs: env.CENTINELA_PAGING_LEASE_MS,
      callGapMs: env.CENTINELA_PAGING_CALL_GAP_MS,
    },
    watchdog: env.CENTINELA_WATCHDOG_URL ? { url: env.CENTINELA_WATCHDOG_URL, intervalS: env.CENTINELA_WATCHDOG_INTERVAL_S } : undefined,
    gateways: {
      host: env.CENTINELA_GATEWAY_HOST,
      gt06Port: env.CENTINELA_GT06_PORT,
      dc09Port: env.CENTINELA_DC09_PORT,
      dc09KeysFile: env.CENTINELA_DC09_KEYS_FILE,
      sbdPort: env.CENTINELA_SBD_PORT,
      sbdMtAddress: env.CENTINELA_SBD_MT_ADDRESS
        ? {
            host: env.CENTINELA_SBD_MT_ADDRESS.slice(0, env.CENTINELA_SBD_MT_ADDRESS.lastIndexOf(':')),
            port: Number(env.CENTINELA_SBD_MT_ADDRESS.slice(env.CENTINELA_SBD_MT_ADDRESS.lastIndexOf(':') + 1)),
          }
        : undefined,
      inreachToken: env.CENTINELA_INREACH_TOKEN,
    },
    console: { mapTileUrl: env.CENTINELA_MAP_TILE_URL },
    timeZone: env.CENTINELA_TIME_ZONE,
    suitabilityFile: env.CENTINELA_SUITABILITY_FILE,
    audit: { key: env.CENTINELA_AUDIT_KEY, checkpointMs: env.CENTINELA_AUDIT_CHECKPOINT_S * 1000 },
    maintenanceMaxMs: env.CENTINELA_MAINTENANCE_MAX_H * 3_600_000,
    metrics: { token: env.CENTINELA_METRICS_TOKEN, host: env.CENTINELA_METRICS_HOST, port: env.CENTINELA_METRICS_PORT },
  };
}
