import type { Prng } from './prng.ts';

export interface BatteryProfile {
  /** Hours a full battery lasts in use. */
  lifeH: number;
  /** Hours from empty to full on the charger. */
  chargeH: number;
  /** Below this level the person plugs the device in, with probability `plugInChance` per reading. */
  plugInBelow: number;
  plugInChance: number;
}

/**
 * A battery that drains while carried and charges when plugged in, so reports see the sawtooth
 * of a real panic button and, for a person who forgets the charger, a device that dies.
 */
export class Battery {
  #level: number;
  #charging = false;
  readonly #profile: BatteryProfile;
  readonly #prng: Prng;
  /** A neglected device is never plugged in again: it runs down to zero. */
  neglected = false;

  constructor(profile: BatteryProfile, prng: Prng) {
    this.#profile = profile;
    this.#prng = prng;
    this.#level = Math.round(prng.between(55, 100));
  }

  get level(): number {
    return Math.round(this.#level * 10) / 10;
  }
  get charging(): boolean {
    return this.#charging;
  }

  /** Advances by `seconds` of simulated time. Draws exactly one random number, always. */
  advance(seconds: number): void {
    const roll = this.#prng.next();
    const hours = seconds / 3600;
    if (this.#charging) {
      this.#level = Math.min(100, this.#level + (100 / this.#profile.chargeH) * hours);
      if (this.#level >= 100) this.#charging = false;
      return;
    }
    this.#level = Math.max(0, this.#level - (100 / this.#profile.lifeH) * hours);
    if (!this.neglected && this.#level < this.#profile.plugInBelow && roll < this.#profile.plugInChance) this.#charging = true;
  }

  drain(): void {
    this.#level = 0;
    this.#charging = false;
  }
}
