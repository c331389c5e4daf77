import { z } from 'zod';
import { ALARM_KINDS } from './alarm.ts';

/**
 * The MQTT wire contract (docs/architecture.md). Devices send `ts` as ISO-8601 or epoch milliseconds.
 */
export const deviceTimeSchema = z.union([z.iso.datetime({ offset: true }), z.number().int().nonnegative()]);

export const locationSchema = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  acc: z.number().nonnegative().optional(),
});
export type Location = z.infer<typeof locationSchema>;

export const NETWORKS = [
  '2g',
  '3g',
  '4g',
  'lte',
  '5g',
  'nbiot',
  'ltem',
  'wifi',
  'ethernet',
  'iridium',
  'inmarsat',
  'globalstar',
  'satellite',
  'none',
] as const;

export const heartbeatSchema = z.object({
  ts: deviceTimeSchema,
  seq: z.number().int().nonnegative(),
  battery: z.number().min(0).max(100),
  charging: z.boolean().optional(),
  signal: z.object({
    network: z.enum(NETWORKS),
    rssi: z.number().min(-150).max(0).optional(),
    bars: z.number().int().min(0).max(5).optional(),
  }),
  loc: locationSchema.optional(),
  fw: z.string().max(40).optional(),
});
export type Heartbeat = z.infer<typeof heartbeatSchema>;

export const alarmPayloadSchema = z.object({
  id: z.string().min(1).max(64),
  ts: deviceTimeSchema,
  kind: z.enum(ALARM_KINDS),
  loc: locationSchema.optional(),
  note: z.string().max(280).optional(),
});
export type AlarmPayload = z.infer<typeof alarmPayloadSchema>;

export const DEVICE_EVENT_KINDS = [
  'low_battery',
  'power_lost',
  'power_restored',
  'tamper',
  'camera_blind',
  'storage_full',
  'reboot',
  /** The person cancelled an SOS on the device (Garmin inReach "Cancel SOS"): shown, never a silent close. */
  'sos_cancelled',
] as const;
export type DeviceEventKind = (typeof DEVICE_EVENT_KINDS)[number];
export const deviceEventSchema = z.object({
  ts: deviceTimeSchema,
  kind: z.enum(DEVICE_EVENT_KINDS),
  detail: z.union([z.string().max(500), z.record(z.string(), z.union([z.string().max(200), z.number(), z.boolean()]))]).optional(),
});
export type DeviceEventPayload = z.infer<typeof deviceEventSchema>;

/** `cancelled`: what a device that raised a duress alarm is told, and nothing after (issue 18). */
export const ACK_STATES = ['received', 'acknowledged', 'dispatched', 'resolved', 'cancelled'] as const;
export const ackDownlinkSchema = z.object({ alarmId: z.string(), state: z.enum(ACK_STATES) });
export type AckDownlink = z.infer<typeof ackDownlinkSchema>;
export const configDownlinkSchema = z.object({ heartbeatIntervalS: z.number().int().positive() });
export type ConfigDownlink = z.infer<typeof configDownlinkSchema>;

/** Packets over this size are refused before the broker buffers them. */
export const MAX_PACKET_BYTES = 16 * 1024;
/** Raw bytes of an unreadable alarm kept as evidence (P2), at most. */
export const MAX_RAW_ALARM_BYTES = 4 * 1024;

const FIVE_MINUTES = 5 * 60 * 1000;
const SEVEN_DAYS = 7 * 24 * 60 * 60 * 1000;

/**
 * Places a message in time. A device clock more than 5 minutes ahead of the server, or older
 * than 7 days, is replaced by the receive time and flagged; late satellite data within the
 * window keeps its device time.
 */
export function normalizeDeviceTime(ts: string | number, receivedAt: number): { at: number; clockSuspect: boolean } {
  const at = typeof ts === 'number' ? ts : Date.parse(ts);
  if (!Number.isFinite(at) || at > receivedAt + FIVE_MINUTES || at < receivedAt - SEVEN_DAYS) return { at: receivedAt, clockSuspect: true };
  return { at, clockSuspect: false };
}
