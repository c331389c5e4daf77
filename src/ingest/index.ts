import type { EventBus } from '../events/index.ts';
import type { Clock, Logger, Metrics, Part } from '../platform/index.ts';
import type { Repositories, Store } from '../store/index.ts';

/** The slice of configuration ingest reads (main passes it from the validated config). */
export interface IngestConfig {
  port: number;
  host: string;
  tls: { port: number; certFile: string; keyFile: string } | undefined;
  externalUrl: string | undefined;
  redisUrl: string | undefined;
  influx: { url: string; token: string; org: string; bucket: string } | undefined;
}

export interface IngestDeps {
  config: IngestConfig;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  store: Store;
  repos: Repositories;
  events: EventBus;
}

/** What the HTTP layer may ask of ingest. */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the ingest part
export interface IngestApi {}

/** Starts MQTT intake. Not yet built: see issue 3. */
export async function startIngest(_deps: IngestDeps): Promise<Part<IngestApi>> {
  return { name: 'ingest', api: {}, stop: async () => {} };
}
