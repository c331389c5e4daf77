import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { EventMap } from '../events/index.ts';
import type { Store } from '../store/index.ts';
import { newId } from '../store/index.ts';
import { sqliteBatch } from './sqlite-batch.ts';

export const DAY_MS = 86_400_000;

/** The latest heartbeat of a device, kept in memory for the fleet list and diagnosis. */
export interface LatestHeartbeat {
  at: number;
  receivedAt: number;
  battery: number;
  charging: boolean;
  network: string;
  rssi: number | null;
  bars: number | null;
  clockSuspect: boolean;
}

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
  private counts = new Map<string, { deviceId: string; day: number; received: number; clockSuspect: number }>();
  private pendingSamples: (LatestHeartbeat & { deviceId: string })[] = [];

  constructor(
    private readonly store: Store,
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
    const db = this.store.db;
    // Chunks with a yield between them: the alarm path shares this event loop (P1).
    const fast = sqliteBatch(this.store.sqlite);
    for (let i = 0; i < counts.length; i += 200) {
      const chunk = counts.slice(i, i + 200);
      if (fast) {
        fast.counts(chunk);
        await yieldToEventLoop();
        continue;
      }
      await db.transaction().execute(async (trx) => {
        for (const c of chunk) {
          await trx
            .insertInto('health_heartbeat_days')
            .values({ device_id: c.deviceId, day: c.day, received: c.received, clock_suspect: c.clockSuspect })
            .onConflict((oc) =>
              oc.columns(['device_id', 'day']).doUpdateSet((eb) => ({
                received: eb('health_heartbeat_days.received', '+', c.received),
                clock_suspect: eb('health_heartbeat_days.clock_suspect', '+', c.clockSuspect),
              })),
            )
            .execute();
        }
      });
      await yieldToEventLoop();
    }
    for (let i = 0; i < samples.length; i += 500) {
      if (fast) {
        fast.samples(samples.slice(i, i + 500));
        await yieldToEventLoop();
        continue;
      }
      await db
        .insertInto('health_samples')
        .values(
          samples.slice(i, i + 500).map((s) => ({
            device_id: s.deviceId,
            at: s.at,
            received_at: s.receivedAt,
            battery: s.battery,
            charging: s.charging ? 1 : 0,
            network: s.network,
            rssi: s.rssi,
            bars: s.bars,
          })),
        )
        .execute();
      await yieldToEventLoop();
    }
  }

  /** Device events diagnosis reads (reboots, power, low battery) and ingest's rejections. */
  async recordEvent(deviceId: string, kind: string, at: number, detail: unknown): Promise<void> {
    const text = detail === undefined || detail === null ? null : JSON.stringify(detail).slice(0, 500);
    await this.store.db
      .insertInto('health_device_events')
      .values({ id: newId('dev'), device_id: deviceId, kind, at, detail: text })
      .execute();
  }
}
