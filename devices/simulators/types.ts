import type { AlarmPayload, DeviceEventPayload, Heartbeat, Location } from '../../src/domain/wire.ts';
import type { SimulatedModel } from './catalogue.ts';

/** What a simulator reports as it runs; the fleet runner, tests and benchmarks listen to these. */
export type SimEvent =
  | { type: 'connected'; deviceId: string; at: number }
  | { type: 'disconnected'; deviceId: string; at: number; reason: 'dropped' | 'stopped' | 'died' }
  | { type: 'heartbeat'; deviceId: string; at: number; payload: Heartbeat; late?: boolean }
  | { type: 'checkin_failed'; deviceId: string; at: number; seq: number; ts: number }
  | { type: 'alarm_pressed'; deviceId: string; at: number; payload: AlarmPayload }
  | { type: 'alarm_sent'; deviceId: string; at: number; alarmId: string; attempt: number }
  | { type: 'alarm_puback'; deviceId: string; at: number; alarmId: string; pressedAt: number }
  | { type: 'ack_received'; deviceId: string; at: number; alarmId: string; state: string }
  | { type: 'config_applied'; deviceId: string; at: number; heartbeatIntervalS: number }
  | { type: 'device_event'; deviceId: string; at: number; payload: DeviceEventPayload }
  | { type: 'died'; deviceId: string; at: number }
  | { type: 'error'; deviceId: string; at: number; message: string };

export type SimEventListener = (event: SimEvent) => void;

export interface SimulatorOptions {
  /** Broker URL, e.g. mqtt://127.0.0.1:1883. */
  url: string;
  /** Device id: also the MQTT client id and username. */
  id: string;
  /** The device's MQTT password; omitted for an anonymous broker. */
  secret?: string;
  /** Same seed, same device id → same sequence of readings and decisions. */
  seed: number | string;
  /** Simulated seconds per real second (1 = real time; 60 = a minute per second). */
  speed?: number;
  /** Overrides the catalogue's heartbeat interval (the server's config downlink also does). */
  heartbeatIntervalS?: number;
  /** Where the device usually is; heartbeats and alarms carry a position near it. */
  home?: Location;
  /** Wall-clock time for payload `ts` (default Date.now): the server checks device clocks against its own. */
  now?: () => number;
  /** Real milliseconds between reconnection attempts after the connection is lost (default 1000). */
  reconnectPeriodMs?: number;
  /** Real milliseconds without PUBACK before an alarm is sent again with the same id (default 10,000). */
  pubackTimeoutMs?: number;
  onEvent?: SimEventListener;
}

export interface AckRecord {
  alarmId: string;
  state: string;
  /** Wall-clock ms when the downlink arrived. */
  at: number;
}

export interface PendingAlarm {
  payload: AlarmPayload;
  pressedAt: number;
  attempts: number;
  pubackAt?: number;
}

/** What every simulated device can do, whatever its family. */
export interface Simulator {
  readonly id: string;
  readonly model: SimulatedModel;
  /** Connects and starts the device's schedule; resolves once the first connection is up. */
  start(): Promise<void>;
  /** Clean stop: announces `offline`, sends DISCONNECT, resolves when the socket is closed. */
  stop(): Promise<void>;
  /** Drops the connection without DISCONNECT (the broker publishes the last will); reconnects after `forS` simulated seconds if given. */
  dropConnection(forS?: number): void;
  /** The device fails for good: last readings, then silence without DISCONNECT. */
  die(): void;
  readonly connected: boolean;
  readonly dead: boolean;
  /** Ack downlinks received so far. */
  readonly acks: readonly AckRecord[];
  /** Alarms not yet acknowledged by the broker (PUBACK). */
  readonly pendingAlarms: readonly PendingAlarm[];
  /** Heartbeat interval in force (catalogue, option or config downlink). */
  readonly heartbeatIntervalS: number;
}

/** Devices that have an alarm button (panic button, satellite phone's SOS). */
export interface AlarmCapable {
  /** Presses the button: returns the alarm id; the alarm is queued until the broker acknowledges it. */
  press(kind?: AlarmPayload['kind']): string;
}
