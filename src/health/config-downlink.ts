import type { EventBus } from '../events/index.ts';
import type { Logger } from '../platform/index.ts';
import type { Repositories } from '../store/index.ts';

/**
 * Issue 14 §9: a device told its new heartbeat interval. When the interval changes the `config`
 * downlink is requested (src/ingest/downlink.ts publishes it, retained, QoS 1) and kept pending
 * in the store; on each connect it is requested again until the device acknowledges it (the
 * embedded broker reports the PUBACK as `downlink.acknowledged`). With an external broker no
 * PUBACK is seen: the downlink is then sent again at every connect, which is harmless (retained).
 */
export class ConfigDownlinks {
  constructor(
    private readonly repos: Repositories,
    private readonly events: EventBus,
    private readonly logger: Logger,
  ) {}

  /** Subscribes to connects and acknowledgements; returns the unsubscribe functions. */
  wire(): (() => void)[] {
    return [
      this.events.on('device.connected', async (e) => {
        const pending = await this.repos.devices.configPending(e.deviceId);
        if (pending) this.request(e.deviceId, pending.heartbeatIntervalS);
      }),
      this.events.on('downlink.acknowledged', async (e) => {
        if (e.topic === 'config') await this.repos.devices.setConfigPending(e.deviceId, null);
      }),
    ];
  }

  /** The device's interval was changed (PATCH /api/devices/:id): tell the device. */
  async intervalChanged(deviceId: string): Promise<void> {
    const device = await this.repos.devices.get(deviceId);
    if (!device) return;
    const model = await this.repos.deviceModels.get(device.modelId);
    const heartbeatIntervalS = device.heartbeatIntervalS ?? model?.heartbeatIntervalS;
    if (!heartbeatIntervalS) return;
    await this.repos.devices.setConfigPending(deviceId, { heartbeatIntervalS });
    this.request(deviceId, heartbeatIntervalS);
    this.logger.info({ deviceId, heartbeatIntervalS }, 'config downlink requested');
  }

  private request(deviceId: string, heartbeatIntervalS: number): void {
    this.events.emit('downlink.requested', { deviceId, topic: 'config', payload: { heartbeatIntervalS }, retain: true });
  }
}
