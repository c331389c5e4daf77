import type { FleetDevice } from '../devices/fleet/fleet-device.ts';
import { type Fleet, runFleet } from '../devices/fleet/run-fleet.ts';
import type { SimEvent } from '../devices/simulators/types.ts';

/** What the launcher sends a worker process. */
export type WorkerCommand =
  | {
      type: 'start';
      url: string;
      devices: FleetDevice[];
      seed: string;
      speed: number;
      alarmEveryS: number;
      timestamps: 'wall' | 'simulated';
      forward: SimEvent['type'][];
      connectConcurrency: number;
    }
  | { type: 'stop' };

/** What a worker process reports back. */
export type WorkerReport =
  | { type: 'ready'; stats: ReturnType<Fleet['stats']> }
  | { type: 'stats'; stats: ReturnType<Fleet['stats']>; rssBytes: number }
  | { type: 'event'; event: SimEvent }
  | { type: 'stopped' }
  | { type: 'error'; message: string };

/**
 * One slice of a large simulated fleet in its own process: a process may hold at most 20,000
 * open files here (docs/dependencies.md), so the launcher spreads devices over several of these.
 */
function report(r: WorkerReport): void {
  process.send?.(r);
}

let fleet: Fleet | undefined;
let statsTimer: NodeJS.Timeout | undefined;

process.on('message', async (cmd: WorkerCommand) => {
  try {
    if (cmd.type === 'start') {
      const forward = new Set(cmd.forward);
      fleet = await runFleet({
        url: cmd.url,
        devices: cmd.devices,
        seed: cmd.seed,
        speed: cmd.speed,
        alarmEveryS: cmd.alarmEveryS,
        timestamps: cmd.timestamps,
        connectConcurrency: cmd.connectConcurrency,
        onEvent: (event) => {
          if (forward.has(event.type)) report({ type: 'event', event });
        },
      });
      const current = fleet;
      report({ type: 'ready', stats: current.stats() });
      statsTimer = setInterval(() => report({ type: 'stats', stats: current.stats(), rssBytes: process.memoryUsage.rss() }), 1000);
    } else if (cmd.type === 'stop') {
      clearInterval(statsTimer);
      await fleet?.stop();
      report({ type: 'stopped' });
      process.disconnect();
    }
  } catch (err) {
    report({ type: 'error', message: (err as Error).message });
  }
});

// The launcher going away (killed, crashed) must not leave orphan fleets connected.
process.on('disconnect', () => {
  clearInterval(statsTimer);
  void fleet?.stop().finally(() => process.exit(0));
  if (!fleet) process.exit(0);
});
