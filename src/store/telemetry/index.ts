export { EmbeddedTelemetryStore, type TelemetryQuery } from './embedded.ts';
export { FanOutTelemetry } from './fan-out.ts';
export { type InfluxOptions, InfluxTelemetryWriter } from './influx.ts';
export { LOCATION_FIELDS, TELEMETRY_FIELDS, type TelemetryField, type TelemetryPoint, type TelemetrySink } from './types.ts';
