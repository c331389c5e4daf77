import type { AlarmPayload } from '../../src/domain/wire.ts';
import { type AnySimulator, canPress, createSimulator } from '../simulators/create-simulator.ts';
import { createPrng } from '../simulators/prng.ts';
import { ScaledTimers, simulatedClock } from '../simulators/scaled-timers.ts';
import type { SimEvent, SimEventListener } from '../simulators/types.ts';
import { alarmPlan } from './alarm-plan.ts';
import type { FleetDevice } from './fleet-device.ts';
import { countEvent, emptyStats, type FleetStats } from './fleet-stats.ts';
import { type ProgressDisplay, startProgress } from './progress.ts';

export interface RunFleetOptions {
  /** Broker URL, e.g. mqtt://127.0.0.1:1883 (Centinela's embedded broker or an external one). */
  url: string;
  devices: readonly FleetDevice[];
  seed: number | string;
  /** Simulated seconds per real second (default 1). */
  speed?: number;
  /** Mean simulated seconds between panic presses across the fleet; 0 = none (default 240). */
  alarmEveryS?: number;
  /**
   * `wall` (default): payload times are the real clock, as Centinela expects of live devices.
   * `simulated`: times run at `speed` from now, so accelerated runs carry simulated hours.
   */
  timestamps?: 'wall' | 'simulated';
  onEvent?: SimEventListener;
  /** A stream for the progress display (e.g. process.stderr); none by default. */
  progress?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Stop cleanly on SIGINT and SIGTERM (default false: a library leaves signals to its caller). */
  handleSignals?: boolean;
  /** Devices connecting at once while the fleet starts (default 100). */
  connectConcurrency?: number;
  reconnectPeriodMs?: number;
}

export interface Fleet {
  readonly simulators: ReadonlyMap<string, AnySimulator>;
  stats(): FleetStats;
  /** Presses a device's button now (panic button or satellite SOS); returns the alarm id. */
  press(deviceId: string, kind?: AlarmPayload['kind']): string;
  /** Stops every device cleanly; resolves when every connection is closed. Idempotent. */
  stop(): Promise<void>;
  /** Resolves when the fleet has stopped, whoever stopped it (a signal, the caller). */
  readonly stopped: Promise<void>;
}

/**
 * Runs a fleet of simulated devices against a broker: connects them (a bounded number at a
 * time), plays the seeded alarm plan and each device's failures, and reports as it goes.
 * Resolves once every device has connected.
 */
export async function runFleet(opts: RunFleetOptions): Promise<Fleet> {
  const speed = opts.speed ?? 1;
  const timers = new ScaledTimers(speed);
  const now = opts.timestamps === 'simulated' ? simulatedClock(speed) : Date.now;
  const stats = emptyStats(opts.devices.length);
  const onEvent = (e: SimEvent): void => {
    countEvent(stats, e);
    opts.onEvent?.(e);
  };
  const simulators = new Map<string, AnySimulator>();
  for (const d of opts.devices) {
    if (simulators.has(d.id)) throw new Error(`device ${d.id} appears twice in the fleet`);
    simulators.set(d.id, createSimulator(d.model, { ...simOptions(d, opts), speed, now, onEvent }));
  }

  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });
  let stopping: Promise<void> | undefined;
  let progress: ProgressDisplay | undefined;
  const onSignal = (): void => void fleet.stop();
  const fleet: Fleet = {
    simulators,
    stats: () => ({
      ...stats,
      connected: count(simulators, (s) => s.connected),
      alarmsPending: sum(simulators, (s) => s.pendingAlarms.length),
    }),
    press: (deviceId, kind) => {
      const sim = simulators.get(deviceId);
      if (!sim) throw new Error(`no device ${deviceId} in the fleet`);
      if (!canPress(sim)) throw new Error(`device ${deviceId} (${sim.model}) has no alarm button`);
      return sim.press(kind);
    },
    stop: () => {
      stopping ??= (async () => {
        timers.clear();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await Promise.all([...simulators.values()].map((s) => s.stop()));
        progress?.stop();
        resolveStopped();
      })();
      return stopping;
    },
    stopped,
  };
  if (opts.handleSignals) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  if (opts.progress) progress = startProgress(opts.progress, fleet.stats);

  try {
    await startAll([...simulators.values()], opts.connectConcurrency ?? 100, () => stopping !== undefined);
  } catch (err) {
    await fleet.stop();
    throw err;
  }
  scheduleFailures(opts.devices, simulators, timers, opts.seed);
  scheduleAlarms(opts.devices, simulators, timers, opts.seed, opts.alarmEveryS ?? 240);
  return fleet;
}

function simOptions(d: FleetDevice, opts: RunFleetOptions) {
  return {
    url: opts.url,
    id: d.id,
    seed: opts.seed,
    ...(d.secret !== undefined ? { secret: d.secret } : {}),
    ...(d.home ? { home: d.home } : {}),
    ...(d.terrain ? { terrain: d.terrain } : {}),
    ...(d.checkinFailureProbability !== undefined ? { checkinFailureProbability: d.checkinFailureProbability } : {}),
    ...(d.motionEveryS !== undefined ? { motionEveryS: d.motionEveryS } : {}),
    ...(d.heartbeatIntervalS !== undefined ? { heartbeatIntervalS: d.heartbeatIntervalS } : {}),
    ...(opts.reconnectPeriodMs !== undefined ? { reconnectPeriodMs: opts.reconnectPeriodMs } : {}),
  };
}

async function startAll(sims: AnySimulator[], concurrency: number, cancelled: () => boolean): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < sims.length && !cancelled()) await (sims[next++] as AnySimulator).start();
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, sims.length) }, worker));
}

/** Deaths at their scheduled time, and connection drops drawn from each device's own stream. */
function scheduleFailures(
  devices: readonly FleetDevice[],
  sims: Map<string, AnySimulator>,
  timers: ScaledTimers,
  seed: number | string,
): void {
  for (const d of devices) {
    const sim = sims.get(d.id) as AnySimulator;
    if (d.diesAfterS !== undefined) {
      // A panic button that will die is one nobody charges any more.
      if ('neglect' in sim) sim.neglect();
      timers.after(d.diesAfterS, () => sim.die());
    }
    if (d.disconnects) {
      const { everyS, forS } = d.disconnects;
      const prng = createPrng(seed, d.id, 'disconnects');
      const again = (): void => {
        timers.after(prng.exponential(everyS), () => {
          sim.dropConnection(forS);
          if (!sim.dead) again();
        });
      };
      again();
    }
  }
}

function scheduleAlarms(
  devices: readonly FleetDevice[],
  sims: Map<string, AnySimulator>,
  timers: ScaledTimers,
  seed: number | string,
  everyS: number,
): void {
  const plan = alarmPlan(devices, seed, everyS);
  let elapsedS = 0;
  const step = (): void => {
    const press = plan.next();
    if (press.done) return;
    timers.after(press.value.atS - elapsedS, () => {
      elapsedS = press.value.atS;
      const sim = sims.get(press.value.deviceId);
      if (sim && !sim.dead && canPress(sim)) sim.press(press.value.kind);
      step();
    });
  };
  step();
}

function count(sims: Map<string, AnySimulator>, f: (s: AnySimulator) => boolean): number {
  let n = 0;
  for (const s of sims.values()) if (f(s)) n++;
  return n;
}
function sum(sims: Map<string, AnySimulator>, f: (s: AnySimulator) => number): number {
  let n = 0;
  for (const s of sims.values()) n += f(s);
  return n;
}
