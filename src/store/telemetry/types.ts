import type { Location } from '../../domain/wire.ts';

/** One accepted heartbeat or device event, as every telemetry store receives it. */
export interface TelemetryPoint {
  deviceId: string;
  /** Device time (or receive time when the clock is suspect). */
  at: number;
  receivedAt: number;
  kind: 'heartbeat' | 'event';
  clockSuspect: boolean;
  seq?: number | undefined;
  battery?: number | undefined;
  charging?: boolean | undefined;
  network?: string | undefined;
  rssi?: number | undefined;
  bars?: number | undefined;
  loc?: Location | undefined;
  fw?: string | undefined;
  event?: string | undefined;
  detail?: unknown;
}

/**
 * Where telemetry goes. `write` never waits and never throws: it buffers (bounded) and says
 * whether the point was taken, so a slow or absent time-series server cannot hold up intake,
 * and so never an alarm (P1, P7).
 */
export interface TelemetrySink {
  readonly name: string;
  write(point: TelemetryPoint): boolean;
  /** Points buffered and not yet written. */
  pending(): number;
  /** Writes what is buffered now. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export const TELEMETRY_FIELDS = ['seq', 'battery', 'charging', 'network', 'rssi', 'bars', 'loc', 'fw', 'event', 'detail'] as const;
export type TelemetryField = (typeof TELEMETRY_FIELDS)[number];
/** Fields that place a person: withheld from technicians (P6). */
export const LOCATION_FIELDS: readonly TelemetryField[] = ['loc'];
