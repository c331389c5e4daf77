import type { EventBus } from '../../events/index.ts';
import type { Metrics } from '../../platform/index.ts';
import type { Repositories } from '../../store/index.ts';

/** The channels whose provider can fail under us (the console and webhook are ours or the centre's). */
export const PROVIDER_CHANNELS = ['sms', 'voice'] as const;
export type ProviderChannel = (typeof PROVIDER_CHANNELS)[number];

/** What operators see about one provider (the console's banner, GET /api/paging, /metrics). */
export interface ProviderStatus {
  channel: ProviderChannel;
  failing: boolean;
  /** The first failed request since the last accepted one; null while the provider works. */
  failingSince: number | null;
  /** People of unresolved alarms still waiting for a message on this channel. */
  notReached: number;
}

/**
 * Tracks, from every node's outbox attempts (`notification.changed`, relayed between nodes), whether
 * each provider is failing and since when: a retry (429, 5xx, no answer) starts or continues an
 * outage, an accepted request ends it. A rejected number is the number's fault, not the provider's.
 * Kept in memory: after a restart the next failed request starts the count again (docs/paging.md).
 */
export class ProviderHealth {
  private readonly since = new Map<ProviderChannel, number>();

  constructor(
    private readonly repos: Pick<Repositories, 'outbox'>,
    events: EventBus,
  ) {
    this.off = events.on(
      'notification.changed',
      (e) => {
        const channel = PROVIDER_CHANNELS.find((c) => c === e.channel);
        if (!channel) return;
        if (e.status === 'retry') {
          if (!this.since.has(channel)) this.since.set(channel, e.at);
        } else if (e.status === 'sent' || e.status === 'calling') this.since.delete(channel);
      },
      { origin: 'any' },
    );
  }

  readonly off: () => void;

  async status(): Promise<ProviderStatus[]> {
    return Promise.all(
      PROVIDER_CHANNELS.map(async (channel) => {
        const since = await this.failingSince(channel);
        return { channel, failing: since !== null, failingSince: since, notReached: await this.repos.outbox.unreached(channel) };
      }),
    );
  }

  /**
   * Answers of concurrent requests can arrive out of order (a 503 sent before the recovery,
   * answered after an accepted one): an outage is over once nothing on the channel waits for
   * a retry any more.
   */
  private async failingSince(channel: ProviderChannel): Promise<number | null> {
    const since = this.since.get(channel);
    if (since === undefined) return null;
    if ((await this.repos.outbox.retrying(channel)) > 0) return since;
    this.since.delete(channel);
    return null;
  }

  /** Gauges read at each scrape, so /metrics shows an outage as it is now. */
  register(metrics: Metrics): void {
    const registers = [metrics.registry];
    const self = this;
    new metrics.Gauge({
      name: 'centinela_alerts_provider_failing',
      help: 'Whether the provider of a channel is failing now (1) or working (0)',
      labelNames: ['channel'] as const,
      registers,
      async collect() {
        for (const c of PROVIDER_CHANNELS) {
          const since = await self.failingSince(c).catch(() => self.since.get(c) ?? null);
          this.set({ channel: c }, since === null ? 0 : 1);
        }
      },
    });
    new metrics.Gauge({
      name: 'centinela_alerts_provider_failing_since_seconds',
      help: 'Unix time of the first failed request of the current provider outage, 0 when none',
      labelNames: ['channel'] as const,
      registers,
      collect() {
        for (const c of PROVIDER_CHANNELS) this.set({ channel: c }, (self.since.get(c) ?? 0) / 1000);
      },
    });
    new metrics.Gauge({
      name: 'centinela_alerts_recipients_not_reached',
      help: 'People of unresolved alarms still waiting for a message, by channel',
      labelNames: ['channel'] as const,
      registers,
      async collect() {
        // A store that cannot answer leaves the last value: /metrics itself keeps answering.
        for (const c of PROVIDER_CHANNELS)
          await self.repos.outbox.unreached(c).then(
            (n) => this.set({ channel: c }, n),
            () => undefined,
          );
      },
    });
  }
}
