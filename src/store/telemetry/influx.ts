import { InfluxDB, Point, setLogger, type WriteApi } from '@influxdata/influxdb-client';
import type { Logger } from '../../platform/logger.ts';
import type { TelemetryPoint, TelemetrySink } from './types.ts';

export interface InfluxOptions {
  url: string;
  token: string;
  org: string;
  bucket: string;
  /** Lines kept for retry while the server is down; older ones are dropped (counted). */
  maxBufferLines?: number;
  flushIntervalMs?: number;
  onDropped?: (lines: number) => void;
}

/** Bound on how long stopping waits for a server that does not answer. */
const CLOSE_TIMEOUT_MS = 5_000;

function toPoint(p: TelemetryPoint): Point {
  const point = new Point(p.kind).tag('device', p.deviceId).timestamp(p.at);
  if (p.clockSuspect) point.tag('clock_suspect', 'true');
  if (p.battery !== undefined) point.floatField('battery', p.battery);
  if (p.seq !== undefined) point.intField('seq', p.seq);
  if (p.charging !== undefined) point.booleanField('charging', p.charging);
  if (p.rssi !== undefined) point.floatField('rssi', p.rssi);
  if (p.bars !== undefined) point.intField('bars', p.bars);
  if (p.network !== undefined) point.tag('network', p.network);
  if (p.fw !== undefined) point.tag('fw', p.fw);
  if (p.event !== undefined) {
    point.tag('event', p.event);
    point.intField('count', 1);
  }
  // P6: a time-series server is for fleet analytics; where a person is stays in Centinela's
  // own database, behind its roles and audit log.
  return point;
}

/**
 * Telemetry to InfluxDB (or anything speaking `/api/v2/write`). The client batches, retries with
 * backoff and keeps a bounded retry buffer; `write` only appends to memory, so an outage never
 * slows intake (P1: alarms never wait on telemetry).
 */
export class InfluxTelemetryWriter implements TelemetrySink {
  readonly name = 'influx';
  private readonly api: WriteApi;
  private readonly maxPending: number;
  private inFlight = 0;

  constructor(options: InfluxOptions, logger: Logger) {
    const maxBufferLines = options.maxBufferLines ?? 100_000;
    // The client prints every failed attempt to the console; ours logs them, rate-limited, below.
    setLogger({ error: (message, err) => logger.debug({ err }, message), warn: (message, err) => logger.debug({ err }, message) });
    let lastLogged = 0;
    this.api = new InfluxDB({ url: options.url, token: options.token, timeout: 10_000 }).getWriteApi(options.org, options.bucket, 'ms', {
      batchSize: 1_000,
      flushInterval: options.flushIntervalMs ?? 1_000,
      maxBufferLines,
      maxRetries: 20,
      maxRetryTime: 10 * 60_000,
      minRetryDelay: 1_000,
      maxRetryDelay: 30_000,
      writeSuccess: (lines) => {
        this.inFlight = Math.max(0, this.inFlight - lines.length);
      },
      writeFailed: (error, lines, attempt) => {
        // Logged at most every 30 s: an outage must not flood the log.
        if (Date.now() - lastLogged > 30_000) {
          lastLogged = Date.now();
          logger.warn({ err: error, lines: lines.length, attempt }, 'telemetry write to InfluxDB failed; retrying');
        }
      },
      writeRetrySkipped: (entry) => {
        this.inFlight = Math.max(0, this.inFlight - entry.lines.length);
        options.onDropped?.(entry.lines.length);
      },
    });
    this.maxPending = maxBufferLines;
  }

  write(point: TelemetryPoint): boolean {
    if (this.inFlight >= this.maxPending) return false;
    this.inFlight++;
    this.api.writePoint(toPoint(point));
    return true;
  }

  pending(): number {
    return this.inFlight;
  }

  async flush(): Promise<void> {
    await this.api.flush(true).catch(() => undefined);
  }

  async close(): Promise<void> {
    await Promise.race([this.api.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref())]);
  }
}
