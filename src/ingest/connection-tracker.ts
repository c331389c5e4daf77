import type { EventBus } from '../events/index.ts';

/** How long `device.connected` announcements are gathered before they go out together. */
export const CONNECTED_BATCH_MS = 100;

/**
 * Whether each device is connected, so `device.connected` / `device.disconnected` fire on change
 * only, whichever signal arrives first (CONNECT, retained `online`, last will, socket closed).
 *
 * Connections are announced in batches: a fleet reconnecting after a restart connects thousands
 * of devices within seconds, and each announcement may make the health part record a liveness
 * change. Announced together, those changes land in one commit per batch instead of one fsync
 * every few devices, each of which would stall the event loop the alarm path shares (P1). A
 * departure first announces the arrivals still waiting, so the order is kept.
 */
export class ConnectionTracker {
  private readonly online = new Set<string>();
  private waiting: { deviceId: string; at: number }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly events: EventBus,
    private readonly batchMs = CONNECTED_BATCH_MS,
  ) {}

  connected(deviceId: string, at: number): void {
    if (this.online.has(deviceId)) return;
    this.online.add(deviceId);
    this.waiting.push({ deviceId, at });
    this.timer ??= setTimeout(() => this.flush(), this.batchMs);
  }

  disconnected(deviceId: string, at: number, lastWill: boolean): void {
    if (!this.online.delete(deviceId)) return;
    this.flush();
    this.events.emit('device.disconnected', { deviceId, at, lastWill });
  }

  isOnline(deviceId: string): boolean {
    return this.online.has(deviceId);
  }

  /** Announces every arrival waiting, in order. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    for (const e of batch) this.events.emit('device.connected', e);
  }
}
