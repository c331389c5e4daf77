import type { AlarmKind, AlarmOutcome, AlarmState, Severity } from '../domain/alarm.ts';
import type { DeviceEventKind, Heartbeat, Location } from '../domain/wire.ts';

/**
 * Every domain event, past-tense, in one typed map. Events fire on change only; the database
 * holds the truth and engines rebuild from it at start. Times are epoch milliseconds.
 */
export interface EventMap {
  // ---- ingest ----
  'heartbeat.received': {
    deviceId: string;
    /** Device time (or receive time when the clock is suspect). */
    at: number;
    receivedAt: number;
    clockSuspect: boolean;
    heartbeat: Heartbeat;
  };
  'alarm.raised': {
    alarmId: string;
    deviceId: string;
    beneficiaryId: string | null;
    kind: AlarmKind;
    severity: Severity;
    test: boolean;
    at: number;
    receivedAt: number;
    /** True when the press joined an alarm already open (a repeat press). */
    joined: boolean;
    pressCount: number;
    loc: Location | null;
    /** Set when the device's clock was suspect and the receive time replaced it: what the device said (null: unreadable). */
    deviceTime?: number | null;
  };
  /**
   * An alarm press made durable in this node's local journal while the database is away (issue
   * 13): PUBACKed, not yet an alarm. `alarm.raised` follows once it is replayed into the database.
   */
  'alarm.journaled': {
    deviceId: string;
    beneficiaryId: string | null;
    kind: AlarmKind;
    test: boolean;
    at: number;
    receivedAt: number;
    /** Presses this node holds in its journal, not yet in the database. */
    pending: number;
  };
  'device.event.received': {
    deviceId: string;
    kind: DeviceEventKind;
    at: number;
    receivedAt: number;
    clockSuspect: boolean;
    detail: unknown;
  };
  'device.connected': { deviceId: string; at: number };
  /** `lastWill`: the broker published the device's last will (it vanished without a goodbye). */
  'device.disconnected': { deviceId: string; at: number; lastWill: boolean };
  'ingest.rejected': { deviceId: string; topic: string; reason: string; at: number };
  /**
   * Issue 17: a device behind a protocol gateway proved it is alive with a frame that carries no
   * telemetry (a DC-09 NULL poll, a Contact ID periodic test, a position without battery).
   */
  'device.polled': { deviceId: string; at: number; via: string };
  /**
   * A protocol gateway (its listener, or the upstream it depends on) stopped working. `deviceIds`:
   * the devices last heard through it, which cannot be heard while it is down.
   */
  'gateway.down': { gateway: string; at: number; reason: string; deviceIds: string[] };
  'gateway.up': { gateway: string; at: number };

  // ---- alerts ----
  'alarm.changed': {
    alarmId: string;
    deviceId: string;
    beneficiaryId: string | null;
    from: AlarmState;
    to: AlarmState;
    by: string;
    at: number;
    outcome?: AlarmOutcome;
  };
  'alarm.escalated': { alarmId: string; severity: Severity; reason: string; at: number };
  'notification.changed': { alarmId: string; notificationId: string; channel: string; status: string; at: number };
  /** Ask ingest to deliver a downlink to a device (acknowledgement or configuration). */
  'downlink.requested': { deviceId: string; topic: 'ack' | 'config'; payload: Record<string, unknown>; retain: boolean };
  /** Issue 14 §9: the device's PUBACK of a downlink (the embedded broker's hook, src/ingest/broker/embedded.ts). */
  'downlink.acknowledged': { deviceId: string; topic: 'ack' | 'config'; at: number };

  // ---- health ----
  'device.state.changed': { deviceId: string; beneficiaryId: string | null; from: string; to: string; at: number };
  /** A device missed its supervision window: an unprotected person (P3). */
  'device.silent': { deviceId: string; beneficiaryId: string | null; at: number; lastSeenAt: number | null };
  'device.recovered': { deviceId: string; beneficiaryId: string | null; at: number; silentForMs: number };
  'protection.gap.opened': { beneficiaryId: string; at: number };
  'protection.gap.closed': { beneficiaryId: string; at: number; durationMs: number };

  // ---- registry ----
  'device.registered': { deviceId: string; at: number };
  /**
   * Issue 15: a credential stopped being valid (a device's or gateway's secret rotated, the device
   * or gateway retired, a user's tokens revoked or the user disabled). Every node closes the live
   * sessions it holds for that account at once: MQTT connections (src/ingest/broker/revocation.ts)
   * and live streams (src/api/routes/alerts/stream.ts).
   */
  'credential.revoked': { account: 'device' | 'gateway' | 'user'; id: string; reason: string; at: number };
}
