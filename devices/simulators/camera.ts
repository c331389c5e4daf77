import type { Heartbeat } from '../../src/domain/wire.ts';
import { BaseSimulator } from './base-simulator.ts';
import type { SimulatorOptions } from './types.ts';

const FIRMWARE = 'cam-5.1.0';

export interface CameraOptions extends SimulatorOptions {
  /** Mean simulated seconds between motion detections (0 = none). Default 30 minutes. */
  motionEveryS?: number;
}

/**
 * A security camera on mains power behind the home router. Motion goes out as a `motion`
 * alarm (the wire contract's alarm kinds include it; the server opens it at low severity);
 * tampering and power loss go out as device events. P6: metadata only, never images.
 */
export class CameraSimulator extends BaseSimulator {
  readonly model = 'camera' as const;
  readonly #motionEveryS: number;
  #motionTimer: NodeJS.Timeout | undefined;
  #rssi = -55;
  #powered = true;

  constructor(opts: CameraOptions) {
    super(opts);
    this.#motionEveryS = opts.motionEveryS ?? 1800;
  }

  override async start(): Promise<void> {
    await super.start();
    this.#scheduleMotion();
  }

  get powered(): boolean {
    return this.#powered;
  }

  /** Someone covers, turns or opens the camera. */
  tamper(detail = 'enclosure opened'): void {
    if (this.active && this.#powered) this.sendEvent('tamper', detail);
  }

  /** Motion in view: a `motion` alarm (queued like any alarm until PUBACK). */
  detectMotion(zone = 'entrance'): string | undefined {
    if (!this.active || !this.#powered) return undefined;
    return this.raise('motion', undefined, `zone ${zone}`);
  }

  /**
   * Mains power fails: the camera's small backup sends `power_lost`, then goes silent without
   * DISCONNECT (last will). After `forS` simulated seconds power returns: it reconnects and
   * sends `power_restored`. Without `forS` it stays dark.
   */
  async losePower(forS?: number): Promise<void> {
    if (!this.active || !this.#powered) return;
    this.#powered = false;
    this.timers.cancel(this.#motionTimer);
    if (this.connected) await this.link.publish('event', { ts: this.now(), kind: 'power_lost' }, { qos: 1 }).catch(() => undefined);
    this.emit({ type: 'device_event', deviceId: this.id, at: this.now(), payload: { ts: this.now(), kind: 'power_lost' } });
    this.dropConnection(forS);
  }

  protected override onReconnected(): void {
    if (this.#powered) return;
    this.#powered = true;
    this.sendEvent('power_restored');
    this.#scheduleMotion();
    this.scheduleTick();
  }

  protected override firstTickDelayS(): number {
    return this.prng.between(0, this.heartbeatIntervalS);
  }

  protected tick(): void {
    if (!this.#powered) return;
    this.seq++;
    this.#rssi = Math.round(Math.min(-35, Math.max(-80, this.#rssi + this.prng.between(-3, 3))));
    const payload: Heartbeat = {
      ts: this.now(),
      seq: this.seq,
      battery: 100,
      charging: false,
      signal: { network: 'wifi', rssi: this.#rssi, bars: 4 },
      fw: FIRMWARE,
    };
    this.sendHeartbeat(payload).catch(() => undefined);
  }

  protected override lastWords(): Promise<void> {
    this.#powered = false;
    if (!this.connected) return Promise.resolve();
    return this.link.publish('event', { ts: this.now(), kind: 'power_lost', detail: 'no power' }, { qos: 1 });
  }

  #scheduleMotion(): void {
    if (this.#motionEveryS <= 0) return;
    this.timers.cancel(this.#motionTimer);
    this.#motionTimer = this.timers.after(this.eventPrng.exponential(this.#motionEveryS), () => {
      this.detectMotion(this.eventPrng.pick(['entrance', 'patio', 'street']));
      this.#scheduleMotion();
    });
  }
}
