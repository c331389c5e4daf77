export { EmbeddedTelemetryStore, type TelemetryQuery } from './embedded.ts';
export { FanOutTelemetry } from './fan-out.ts';
// The InfluxDB writer is imported from './influx.ts' where it is used, so that the client
// library loads only when InfluxDB is configured.
export type { InfluxOptions } from './influx.ts';
export { LOCATION_FIELDS, TELEMETRY_FIELDS, type TelemetryField, type TelemetryPoint, type TelemetrySink } from './types.ts';
