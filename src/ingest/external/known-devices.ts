import type { Repositories } from '../../store/index.ts';

const TTL_MS = 60_000;

/**
 * Whether a device id is registered, remembered for a minute: behind an external broker we did
 * not authenticate the device ourselves, and an alarm needs a device row to attach to.
 */
export class KnownDevices {
  private readonly seen = new Map<string, number>();

  constructor(private readonly repos: Repositories) {}

  async has(deviceId: string): Promise<boolean> {
    const at = this.seen.get(deviceId);
    if (at !== undefined && Date.now() - at < TTL_MS) return true;
    const found = (await this.repos.devices.intakeView(deviceId)) !== undefined;
    if (found) {
      if (this.seen.size > 100_000) this.seen.clear();
      this.seen.set(deviceId, Date.now());
    }
    return found;
  }
}
