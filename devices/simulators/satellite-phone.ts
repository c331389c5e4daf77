import type { AlarmPayload, Heartbeat } from '../../src/domain/wire.ts';
import { BaseSimulator } from './base-simulator.ts';
import { Battery } from './battery.ts';
import { jitter } from './cell-signal.ts';
import { createPrng, type Prng } from './prng.ts';
import type { AlarmCapable, SimulatorOptions } from './types.ts';

/** Probability that a check-in finds no satellite, by what stands between the phone and the sky. */
export const TERRAIN_FAILURE = { open: 0.05, urban: 0.15, forest: 0.4, mountain: 0.7 } as const;
export type Terrain = keyof typeof TERRAIN_FAILURE;

const FIRMWARE = 'sat-1.9.3';
/** A phone keeps this many unsent check-ins; older ones are overwritten, as on real handsets. */
const BACKLOG_LIMIT = 96;

export interface SatellitePhoneOptions extends SimulatorOptions {
  terrain?: Terrain;
  /** Overrides the terrain's failure probability (a valley that rarely sees a satellite). */
  checkinFailureProbability?: number;
  /** Simulated seconds between SOS retries while no satellite is in view (default 120). */
  sosRetryS?: number;
}

/**
 * A satellite phone that checks in on a schedule. Its MQTT session stands for the satellite
 * gateway's link, always up; what fails is the sky: a check-in that finds no satellite is kept
 * and sent at the next successful one with its original, possibly hours-old, timestamp.
 * An SOS is retried until a satellite carries it.
 */
export class SatellitePhoneSimulator extends BaseSimulator implements AlarmCapable {
  readonly model = 'satellite-phone' as const;
  readonly terrain: Terrain;
  readonly failureProbability: number;
  readonly #battery: Battery;
  /** Whether a check-in finds a satellite: its own stream, so SOS retries do not shift it. */
  readonly #sky: Prng;
  /** SOS attempts: random too, but apart from the check-ins. */
  readonly #sosSky: Prng;
  readonly #sosRetryS: number;
  readonly #backlog: Heartbeat[] = [];
  #sosTimer: NodeJS.Timeout | undefined;

  constructor(opts: SatellitePhoneOptions) {
    super(opts);
    this.terrain = opts.terrain ?? 'open';
    this.failureProbability = opts.checkinFailureProbability ?? TERRAIN_FAILURE[this.terrain];
    this.#battery = new Battery({ lifeH: 72, chargeH: 4, plugInBelow: 40, plugInChance: 0.3 }, this.prng);
    this.#sky = createPrng(opts.seed, opts.id, 'sky');
    this.#sosSky = createPrng(opts.seed, opts.id, 'sos-sky');
    this.#sosRetryS = opts.sosRetryS ?? 120;
  }

  /** Check-ins waiting for a satellite, oldest first. */
  get backlog(): readonly Heartbeat[] {
    return this.#backlog;
  }

  press(kind: AlarmPayload['kind'] = 'sos'): string {
    return this.raise(kind, this.opts.home ? jitter(this.eventPrng, this.opts.home, 15) : undefined);
  }

  protected override flushAlarms(): void {
    if (!this.connected) return;
    this.queue.flush(() => !this.#sosSky.chance(this.failureProbability));
    if (this.queue.pending.length > 0) this.#scheduleSosRetry();
  }

  protected tick(): void {
    this.#battery.advance(this.heartbeatIntervalS);
    if (this.#battery.level <= 0) {
      this.die();
      return;
    }
    this.seq++;
    const reading: Heartbeat = {
      ts: this.now(),
      seq: this.seq,
      battery: this.#battery.level,
      charging: this.#battery.charging,
      signal: { network: 'iridium', bars: 0 },
      ...(this.opts.home ? { loc: jitter(this.prng, this.opts.home, 10) } : {}),
      fw: FIRMWARE,
    };
    const inView = !this.#sky.chance(this.failureProbability);
    if (!inView || !this.connected) {
      this.#keep(reading);
      this.emit({ type: 'checkin_failed', deviceId: this.id, at: this.now(), seq: reading.seq, ts: reading.ts as number });
      return;
    }
    reading.signal.bars = 1 + Math.floor(this.prng.next() * 5);
    this.#deliverBacklog();
    this.sendHeartbeat(reading, 1).catch(() => this.#keep(reading));
    // A satellite in view also carries a waiting SOS.
    this.queue.flush();
  }

  /** Store and forward: backlog first, oldest first, each with its original `ts`, at QoS 1. */
  #deliverBacklog(): void {
    for (const late of this.#backlog.splice(0)) {
      this.emit({ type: 'heartbeat', deviceId: this.id, at: this.now(), payload: late, late: true });
      this.link.publish('heartbeat', late, { qos: 1 }).catch(() => this.#keep(late));
    }
  }

  #keep(reading: Heartbeat): void {
    this.#backlog.push(reading);
    this.#backlog.sort((a, b) => a.seq - b.seq);
    if (this.#backlog.length > BACKLOG_LIMIT) this.#backlog.shift();
  }

  #scheduleSosRetry(): void {
    if (this.#sosTimer) return;
    this.#sosTimer = this.timers.after(this.#sosRetryS, () => {
      this.#sosTimer = undefined;
      if (this.active && this.queue.pending.length > 0) this.flushAlarms();
    });
  }

  protected override lastWords(): Promise<void> {
    this.#battery.drain();
    return Promise.resolve();
  }
}
