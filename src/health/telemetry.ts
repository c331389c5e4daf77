import type { HeartbeatCount, LatestHeartbeat } from '../domain/health.ts';
import { DAY_MS } from '../domain/reports-spans.ts';
import type { EventBus, EventMap } from '../events/index.ts';
import type { Repositories, WriteQueue } from '../store/index.ts';

export interface TelemetryOptions {
  /** Keep one sample per device at most this often (battery drain needs hours, not seconds). */
  sampleEveryMs: number;
}

/**
 * Health's own summary of device telemetry, kept from 'heartbeat.received' events so diagnosis
 * and reports do not depend on ingest's time series: heartbeats counted per device and UTC day,
 * a thinned history of samples, and device events. Buffered in memory and written in batches.
 */
export class TelemetrySummary {
  private readonly latest = new Map<string, LatestHeartbeat>();
  private readonly lastSampled = new Map<string, { receivedAt: number; battery: number }>();
  private counts = new Map<string, HeartbeatCount>();
  private pendingSamples: (LatestHeartbeat & { deviceId: string })[] = [];

  constructor(
    private readonly repo: Repositories['healthTelemetry'],
    private readonly options: TelemetryOptions,
  ) {}

  latestOf(deviceId: string): LatestHeartbeat | undefined {
    return this.latest.get(deviceId);
  }

  onHeartbeat(e: EventMap['heartbeat.received']): void {
    const hb = e.heartbeat;
    const latest: LatestHeartbeat = {
      at: e.at,
      receivedAt: e.receivedAt,
      battery: hb.battery,
      charging: hb.charging ?? false,
      network: hb.signal.network,
      rssi: hb.signal.rssi ?? null,
      bars: hb.signal.bars ?? null,
      clockSuspect: e.clockSuspect,
    };
    const prev = this.latest.get(e.deviceId);
    if (!prev || prev.receivedAt <= e.receivedAt) this.latest.set(e.deviceId, latest);
    // Satellite data may arrive hours late: counted on the day it was sent (device time).
    const day = Math.floor(e.at / DAY_MS) * DAY_MS;
    const key = `${e.deviceId}|${day}`;
    const c = this.counts.get(key) ?? { deviceId: e.deviceId, day, received: 0, clockSuspect: 0 };
    c.received += 1;
    if (e.clockSuspect) c.clockSuspect += 1;
    this.counts.set(key, c);
    const sampled = this.lastSampled.get(e.deviceId);
    if (!sampled || e.receivedAt - sampled.receivedAt >= this.options.sampleEveryMs || Math.abs(sampled.battery - hb.battery) >= 5) {
      this.lastSampled.set(e.deviceId, { receivedAt: e.receivedAt, battery: hb.battery });
      this.pendingSamples.push({ ...latest, deviceId: e.deviceId });
    }
  }

  /** Writes what is buffered. Counts are added to what is stored (several flushes a day). */
  async flush(): Promise<void> {
    const counts = [...this.counts.values()];
    const samples = this.pendingSamples;
    this.counts = new Map();
    this.pendingSamples = [];
    await this.repo.addCounts(counts);
    await this.repo.addSamples(samples);
  }

  /** Device events diagnosis reads (reboots, power, low battery) and ingest's rejections. */
  recordEvent(deviceId: string, kind: string, at: number, detail: unknown): Promise<void> {
    return this.repo.recordEvent(deviceId, kind, at, detail);
  }

  /** Heartbeats received on this node, device events and ingest's rejections (each recorded once across a cluster). */
  listen(events: EventBus, writes: WriteQueue): (() => void)[] {
    return [
      events.on('heartbeat.received', (e) => this.onHeartbeat(e)),
      events.on('device.event.received', (e) => {
        writes.enqueue('device event', () => this.recordEvent(e.deviceId, e.kind, e.at, e.detail ?? null));
      }),
      events.on('ingest.rejected', (e) => {
        writes.enqueue('ingest error', () => this.recordEvent(e.deviceId, 'ingest_rejected', e.at, { reason: e.reason }));
      }),
    ];
  }
}
