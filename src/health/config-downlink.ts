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
  private readonly arrived = new Set<string>();
  private lookup: NodeJS.Immediate | undefined;

  constructor(
    private readonly repos: Repositories,
    private readonly events: EventBus,
    private readonly logger: Logger,
  ) {}

  /** Subscribes to connects and acknowledgements; returns the unsubscribe functions. */
  wire(): (() => void)[] {
    return [
      this.events.on('device.connected', (e) => this.connected(e.deviceId)),
      this.events.on('downlink.acknowledged', async (e) => {
        if (e.topic === 'config') await this.repos.devices.setConfigPending(e.deviceId, null);
      }),
      // Stopping: no read after the store closes; a pending config goes out at the next connect.
      () => {
        if (this.lookup) clearImmediate(this.lookup);
        this.lookup = undefined;
        this.arrived.clear();
      },
    ];
  }

  /**
   * Devices announced connected in the same turn of the event loop (ingest announces them in
   * batches, src/ingest/connection-tracker.ts) are looked up in one read: after a restart the
   * whole fleet connects within seconds, and a read per device was a large part of the work.
   */
  private connected(deviceId: string): void {
    this.arrived.add(deviceId);
    this.lookup ??= setImmediate(() => {
      this.lookup = undefined;
      const ids = [...this.arrived];
      this.arrived.clear();
      this.repos.devices.configPendingOf(ids).then(
        ({ items, bad }) => {
          for (const { deviceId: id, config } of items) this.request(id, config.heartbeatIntervalS);
          for (const err of bad)
            this.logger.error({ err: { code: err.code, ...err.details } }, 'pending config downlink unreadable; not sent');
        },
        (err: unknown) => this.logger.error({ err, devices: ids.length }, 'pending config downlinks not read; sent at the next connect'),
      );
    });
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
