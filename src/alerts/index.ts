import type { EventBus } from '../events/index.ts';
import type { Clock, Logger, Metrics, Part } from '../platform/index.ts';
import type { Repositories, Store } from '../store/index.ts';

/** The slice of configuration alerts reads. */
export interface AlertsConfig {
  publicUrl: string;
  twilio: { accountSid: string; authToken: string; from: string; apiBase: string | undefined } | undefined;
  webhook: { url: string; secret: string | undefined } | undefined;
}

export interface AlertsDeps {
  config: AlertsConfig;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  store: Store;
  repos: Repositories;
  events: EventBus;
}

/** What the HTTP layer may ask of alerts. */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the alerts part
export interface AlertsApi {}

/** Starts the alarm lifecycle and escalation engine. Not yet built: see issue 4. */
export async function startAlerts(_deps: AlertsDeps): Promise<Part<AlertsApi>> {
  return { name: 'alerts', api: {}, stop: async () => {} };
}
