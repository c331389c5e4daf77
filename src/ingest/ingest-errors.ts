import type { Logger } from '../platform/logger.ts';
import type { IngestErrorRepository, UnreadableCount, UnreadableMessage } from '../store/index.ts';

/** Rows kept per device per flush: a device spewing garbage cannot flood the table. */
const MAX_ROWS_PER_DEVICE_PER_FLUSH = 5;
const FLUSH_MS = 1_000;

export interface UnregisteredHardware {
  protocol: string;
  hardwareId: string;
  reason: string;
  count: number;
  lastAt: string;
}

export interface IngestErrorView {
  recent: { at: string; kind: string; reason: string }[];
  counts: { reason: string; count: number; lastAt: string }[];
}

/**
 * Unreadable messages per device (issue 3 §6): counted per reason and the latest kept, so a
 * technician can see why a device's heartbeats never arrive. Written in the background, once
 * a second, in bounded batches.
 */
export class IngestErrorLog {
  private rows: UnreadableMessage[] = [];
  private rowsPerDevice = new Map<string, number>();
  private counts = new Map<string, UnreadableCount>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly store: IngestErrorRepository,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS).unref();
  }

  /** `reason` is coarse (counted); `detail` says what exactly was wrong (kept in the recent rows). */
  record(deviceId: string, topicKind: string, reason: string, detail: string, at: number): void {
    const key = `${deviceId}\n${reason}`;
    const count = this.counts.get(key);
    if (count) {
      count.count++;
      count.lastAt = at;
    } else if (this.counts.size < 100_000) {
      this.counts.set(key, { deviceId, reason, count: 1, lastAt: at });
    }
    const kept = this.rowsPerDevice.get(deviceId) ?? 0;
    if (this.rows.length < 10_000 && kept < MAX_ROWS_PER_DEVICE_PER_FLUSH) {
      this.rowsPerDevice.set(deviceId, kept + 1);
      this.rows.push({ deviceId, at, topicKind, reason: `${reason}: ${detail}`.slice(0, 300) });
    }
  }

  async flush(): Promise<void> {
    const rows = this.rows;
    const counts = [...this.counts.values()];
    this.rows = [];
    this.rowsPerDevice = new Map();
    this.counts = new Map();
    if (rows.length === 0 && counts.length === 0) return;
    try {
      await this.store.save(rows, counts);
    } catch (err) {
      this.logger.error({ err }, 'could not record unreadable device messages');
    }
  }

  async view(deviceId: string, limit = 50): Promise<IngestErrorView> {
    await this.flush();
    const recent = await this.store.recent(deviceId, limit);
    const counts = await this.store.counts(deviceId);
    return {
      recent: recent.map((r) => ({ at: new Date(r.at).toISOString(), kind: r.topicKind, reason: r.reason })),
      counts: counts.map((c) => ({ reason: c.reason, count: c.count, lastAt: new Date(c.lastAt).toISOString() })),
    };
  }

  /** Hardware heard by a protocol gateway but registered on no device, for technicians to register or chase. */
  async unregistered(limit = 100): Promise<UnregisteredHardware[]> {
    await this.flush();
    return (await this.store.unregistered(limit)).map((c) => {
      const [, protocol = '', ...rest] = c.deviceId.split(':');
      return { protocol, hardwareId: rest.join(':'), reason: c.reason, count: c.count, lastAt: new Date(c.lastAt).toISOString() };
    });
  }

  async prune(olderThan: number): Promise<void> {
    await this.store.prune(olderThan);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
