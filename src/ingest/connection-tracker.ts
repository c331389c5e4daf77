import type { EventBus, EventMap } from '../events/index.ts';

/** How long connection changes are gathered before they are announced together. */
export const CONNECTION_BATCH_MS = 100;

type Change =
  | { name: 'device.connected'; payload: EventMap['device.connected'] }
  | { name: 'device.disconnected'; payload: EventMap['device.disconnected'] };

/**
 * Whether each device is connected, so `device.connected` / `device.disconnected` fire on change
 * only, whichever signal arrives first (CONNECT, retained `online`, last will, socket closed).
 *
 * Changes are announced in batches, in the order they happened: a fleet reconnecting after a
 * restart (or a cell tower going down) changes thousands of devices within seconds, and each
 * change may make the health part record a liveness transition. Announced together, those
 * transitions land in one commit per batch instead of one fsync every few devices, each of which
 * would stall the event loop the alarm path shares (P1). A connection change is proof of life
 * or a grace period of a minute: 100 ms later changes neither.
 */
export class ConnectionTracker {
  /** Each device this node counts as connected, with when its connection was news. */
  private readonly online = new Map<string, number>();
  private waiting: Change[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly events: EventBus,
    private readonly batchMs = CONNECTION_BATCH_MS,
  ) {}

  connected(deviceId: string, at: number): void {
    if (this.online.has(deviceId)) return;
    this.online.set(deviceId, at);
    this.queue({ name: 'device.connected', payload: { deviceId, at } });
  }

  disconnected(deviceId: string, at: number, lastWill: boolean): void {
    if (!this.online.delete(deviceId)) return;
    this.queue({ name: 'device.disconnected', payload: { deviceId, at, lastWill } });
  }

  /**
   * A departure this node must announce although it may never have seen the device connected:
   * a dead node's last will (src/ingest/broker/presence.ts decides it is current), or a will the
   * external broker's share group handed to this node (src/ingest/external/consumer.ts).
   */
  left(deviceId: string, at: number): void {
    this.online.delete(deviceId);
    this.queue({ name: 'device.disconnected', payload: { deviceId, at, lastWill: true } });
  }

  /**
   * Another node reported the device's departure (an external broker's share group handed it the
   * will): unless this node has heard of a connection since, the device is no longer connected
   * here either, so its next `online` is news again — not swallowed as a repeat.
   */
  forget(deviceId: string, at: number): void {
    const since = this.online.get(deviceId);
    if (since !== undefined && since <= at) this.online.delete(deviceId);
  }

  isOnline(deviceId: string): boolean {
    return this.online.has(deviceId);
  }

  /** Announces every change waiting, in order (also at shutdown). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    for (const c of batch) {
      if (c.name === 'device.connected') this.events.emit(c.name, c.payload);
      else this.events.emit(c.name, c.payload);
    }
  }

  private queue(change: Change): void {
    this.waiting.push(change);
    this.timer ??= setTimeout(() => this.flush(), this.batchMs);
  }
}
