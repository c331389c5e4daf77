import type { EventBus } from '../events/index.ts';

/**
 * Whether each device is connected, so `device.connected` / `device.disconnected` fire on change
 * only, whichever signal arrives first (CONNECT, retained `online`, last will, socket closed).
 */
export class ConnectionTracker {
  private readonly online = new Set<string>();

  constructor(private readonly events: EventBus) {}

  connected(deviceId: string, at: number): void {
    if (this.online.has(deviceId)) return;
    this.online.add(deviceId);
    this.events.emit('device.connected', { deviceId, at });
  }

  disconnected(deviceId: string, at: number, lastWill: boolean): void {
    if (!this.online.delete(deviceId)) return;
    this.events.emit('device.disconnected', { deviceId, at, lastWill });
  }

  isOnline(deviceId: string): boolean {
    return this.online.has(deviceId);
  }
}
