/** Tables owned by src/ingest (migration 003-ingest). Times are epoch milliseconds. */

/** One accepted heartbeat or device event, placed at its device time. */
export interface TelemetryTable {
  device_id: string;
  at: number;
  received_at: number;
  /** `heartbeat` or `event`. */
  kind: string;
  clock_suspect: number;
  seq: number | null;
  battery: number | null;
  charging: number | null;
  network: string | null;
  rssi: number | null;
  bars: number | null;
  lat: number | null;
  lon: number | null;
  acc: number | null;
  fw: string | null;
  /** For events: the event kind (low_battery, tamper, ...). */
  event: string | null;
  detail: string | null;
}

/** The most recent messages a device sent that could not be read, for technicians. */
export interface IngestErrorTable {
  device_id: string;
  at: number;
  /** Message kind from the topic: heartbeat, alarm, event, status. */
  topic_kind: string;
  reason: string;
}

/** Running count of unreadable messages per device and reason. */
export interface IngestErrorCountTable {
  device_id: string;
  reason: string;
  count: number;
  last_at: number;
}

/** An account that may publish for the devices listed on it (a satellite-messaging gateway). */
export interface GatewayTable {
  id: string;
  description: string | null;
  secret_hash: string;
  created_at: number;
  retired_at: number | null;
}

export interface GatewayDeviceTable {
  gateway_id: string;
  device_id: string;
}

export interface IngestTables {
  telemetry: TelemetryTable;
  ingest_errors: IngestErrorTable;
  ingest_error_counts: IngestErrorCountTable;
  gateways: GatewayTable;
  gateway_devices: GatewayDeviceTable;
}
