import type { AlarmPayload, Heartbeat } from '../../src/domain/wire.ts';
import { BaseSimulator } from './base-simulator.ts';
import { Battery } from './battery.ts';
import { CellSignal, jitter } from './cell-signal.ts';
import type { AlarmCapable, SimulatorOptions } from './types.ts';

const FIRMWARE = 'pb-2.4.1';
const LOW_BATTERY = 15;

/**
 * A panic button on the mobile network: heartbeats with battery, charging and signal, and a
 * button whose presses are queued on the device until the broker acknowledges them.
 */
export class PanicButtonSimulator extends BaseSimulator implements AlarmCapable {
  readonly model = 'panic-button' as const;
  readonly #battery: Battery;
  readonly #signal: CellSignal;
  #lowBatteryReported = false;

  constructor(opts: SimulatorOptions) {
    super(opts);
    this.#battery = new Battery({ lifeH: 40, chargeH: 2, plugInBelow: 30, plugInChance: 0.15 }, this.prng);
    this.#signal = new CellSignal(this.prng);
  }

  get battery(): number {
    return this.#battery.level;
  }

  /** The person stops charging the button: it will run down and die. */
  neglect(): void {
    this.#battery.neglected = true;
  }

  press(kind: AlarmPayload['kind'] = 'panic'): string {
    return this.raise(kind, this.opts.home ? jitter(this.eventPrng, this.opts.home, 30) : undefined);
  }

  protected override firstTickDelayS(): number {
    return this.prng.between(0, this.heartbeatIntervalS);
  }

  protected tick(): void {
    this.#battery.advance(this.heartbeatIntervalS);
    if (this.#battery.level <= 0) {
      this.die();
      return;
    }
    const payload = this.#reading();
    if (this.#battery.level <= LOW_BATTERY && !this.#lowBatteryReported) {
      this.#lowBatteryReported = true;
      this.sendEvent('low_battery', { battery: this.#battery.level });
    }
    if (this.#battery.level > LOW_BATTERY + 10) this.#lowBatteryReported = false;
    this.sendHeartbeat(payload).catch(() => undefined);
  }

  protected override lastWords(): Promise<void> {
    this.#battery.drain();
    // QoS 1 so the last reading (battery 0) is on the broker before the power goes.
    return this.sendHeartbeat(this.#reading(), 1);
  }

  #reading(): Heartbeat {
    this.seq++;
    const signal = this.#signal.read();
    return {
      ts: this.now(),
      seq: this.seq,
      battery: this.#battery.level,
      charging: this.#battery.charging,
      signal,
      ...(this.opts.home ? { loc: jitter(this.prng, this.opts.home, 200) } : {}),
      fw: FIRMWARE,
    };
  }
}
