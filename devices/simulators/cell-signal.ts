import type { Heartbeat } from '../../src/domain/wire.ts';
import type { Prng } from './prng.ts';

type Signal = Heartbeat['signal'];

/**
 * Mobile coverage as a random walk of the received signal strength: LTE where it is strong,
 * falling back to 3G and 2G at the edges, as a button carried around a town would report.
 */
export class CellSignal {
  #rssi: number;
  readonly #prng: Prng;

  constructor(prng: Prng, meanRssi = -85) {
    this.#prng = prng;
    this.#rssi = meanRssi;
  }

  /** Draws exactly two random numbers, always. */
  read(): Signal {
    const step = this.#prng.between(-8, 8);
    const fallback = this.#prng.next();
    this.#rssi = Math.min(-51, Math.max(-118, this.#rssi + step + (-85 - this.#rssi) * 0.2));
    const rssi = Math.round(this.#rssi);
    const network = rssi > -100 ? 'lte' : fallback < 0.6 ? '3g' : '2g';
    const bars = Math.max(0, Math.min(5, Math.round((rssi + 118) / 12)));
    return { network, rssi, bars };
  }
}

/** A position near home, as a phone's GNSS fix would wander. */
export function jitter(prng: Prng, home: { lat: number; lon: number }, metres: number): { lat: number; lon: number; acc: number } {
  const dLat = prng.between(-metres, metres) / 111_000;
  const dLon = prng.between(-metres, metres) / (111_000 * Math.cos((home.lat * Math.PI) / 180));
  return { lat: round6(home.lat + dLat), lon: round6(home.lon + dLon), acc: Math.round(prng.between(5, 40)) };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
