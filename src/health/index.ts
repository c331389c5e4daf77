import type { EventBus } from '../events/index.ts';
import type { Clock, Logger, Metrics, Part } from '../platform/index.ts';
import type { Repositories, Store } from '../store/index.ts';

/** The slice of configuration health reads. */
export interface HealthConfig {
  watchdog: { url: string; intervalS: number } | undefined;
}

export interface HealthDeps {
  config: HealthConfig;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  store: Store;
  repos: Repositories;
  events: EventBus;
}

/** What the HTTP layer may ask of health. */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the health part
export interface HealthApi {}

/** Starts supervision, incidents, reports and scheduled jobs. Not yet built: see issue 5. */
export async function startHealth(_deps: HealthDeps): Promise<Part<HealthApi>> {
  return { name: 'health', api: {}, stop: async () => {} };
}
