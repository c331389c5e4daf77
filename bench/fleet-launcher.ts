import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import type { FleetDevice } from '../devices/fleet/fleet-device.ts';
import { emptyStats, type FleetStats, formatStats } from '../devices/fleet/fleet-stats.ts';
import { SIMULATED_MODELS, type SimulatedModel } from '../devices/simulators/catalogue.ts';
import type { SimEvent } from '../devices/simulators/types.ts';
import type { WorkerCommand, WorkerReport } from './fleet-worker.ts';

/** Devices per process: under the 20,000 open files a process may hold here, with room for the rest. */
export const DEFAULT_DEVICES_PER_PROCESS = 15_000;
const WORKER = fileURLToPath(new URL('./fleet-worker.ts', import.meta.url));

export interface LaunchOptions {
  url: string;
  devices: readonly FleetDevice[];
  seed: number | string;
  speed?: number;
  /** Mean simulated seconds between panic presses across the whole fleet (0 = none). */
  alarmEveryS?: number;
  timestamps?: 'wall' | 'simulated';
  devicesPerProcess?: number;
  /** Simulator events to forward from the workers (e.g. alarm_pressed, alarm_puback, ack_received). */
  forward?: SimEvent['type'][];
  onEvent?: (event: SimEvent) => void;
  /** Connections opened at once per worker while it starts (default 200). */
  connectConcurrency?: number;
}

export interface LaunchedFleet {
  readonly processes: number;
  /** The sum of the workers' latest counters. */
  stats(): FleetStats;
  /** Resident memory of each worker process, latest report. */
  workerRssBytes(): number[];
  /** Stops every worker cleanly; resolves when all have exited. */
  stop(): Promise<void>;
}

/**
 * Spreads a simulated fleet over child processes and resolves once every device of every
 * process is connected. Each worker plays the alarm plan of its own slice, with the gap
 * stretched by the number of slices so the whole fleet keeps `alarmEveryS` on average.
 */
export async function launchFleet(opts: LaunchOptions): Promise<LaunchedFleet> {
  const per = opts.devicesPerProcess ?? DEFAULT_DEVICES_PER_PROCESS;
  const slices: FleetDevice[][] = [];
  for (let i = 0; i < opts.devices.length; i += per) slices.push(opts.devices.slice(i, i + per));
  const latest: FleetStats[] = slices.map((s) => emptyStats(s.length));
  const rss: number[] = slices.map(() => 0);
  const exits: Promise<void>[] = [];
  const children: ChildProcess[] = [];
  const ready = slices.map((slice, i) => {
    const child = fork(WORKER, [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    exits.push(new Promise((resolve) => child.once('exit', () => resolve())));
    return new Promise<void>((resolve, reject) => {
      child.on('message', (r: WorkerReport) => {
        if (r.type === 'ready') {
          latest[i] = r.stats;
          resolve();
        } else if (r.type === 'stats') {
          latest[i] = r.stats;
          rss[i] = r.rssBytes;
        } else if (r.type === 'event') opts.onEvent?.(r.event);
        else if (r.type === 'error') reject(new Error(`fleet worker ${i}: ${r.message}`));
      });
      child.once('exit', (code) => reject(new Error(`fleet worker ${i} exited (${code}) before its devices were connected`)));
      const start: WorkerCommand = {
        type: 'start',
        url: opts.url,
        devices: slice,
        seed: `${opts.seed}:${i}`,
        speed: opts.speed ?? 1,
        alarmEveryS: (opts.alarmEveryS ?? 240) * (opts.devices.length / slice.length),
        timestamps: opts.timestamps ?? 'wall',
        forward: opts.forward ?? [],
        connectConcurrency: opts.connectConcurrency ?? 200,
      };
      child.send(start);
    });
  });
  let stopping: Promise<void> | undefined;
  const launched: LaunchedFleet = {
    processes: slices.length,
    stats: () => sumStats(latest),
    workerRssBytes: () => [...rss],
    stop: () => {
      stopping ??= (async () => {
        for (const c of children) if (c.connected) c.send({ type: 'stop' } satisfies WorkerCommand);
        await Promise.all(exits);
      })();
      return stopping;
    },
  };
  try {
    await Promise.all(ready);
  } catch (err) {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(exits);
    throw err;
  }
  return launched;
}

function sumStats(all: FleetStats[]): FleetStats {
  const total = emptyStats(0);
  for (const s of all) for (const k of Object.keys(total) as (keyof FleetStats)[]) total[k] += s[k];
  return total;
}

/** Synthetic anonymous devices for a broker without authentication (plain aedes, Mosquitto). */
export function syntheticDevices(count: number, model: SimulatedModel, prefix = 'bench'): FleetDevice[] {
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${model}-${String(i).padStart(6, '0')}`, model }));
}

/**
 * Removes the retained `offline` statuses a synthetic fleet leaves on a shared broker: thousands
 * of them would flood every later wildcard subscriber (Mosquitto drops what overflows a queue).
 */
export async function clearRetainedStatuses(url: string, deviceIds: readonly string[]): Promise<void> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: `launcher-cleanup-${process.pid}` });
  for (const id of deviceIds) await client.publishAsync(`v1/devices/${id}/status`, '', { qos: 1, retain: true });
  await client.endAsync();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      devices: { type: 'string', default: '1000' },
      model: { type: 'string', default: 'panic-button' },
      'per-process': { type: 'string', default: String(DEFAULT_DEVICES_PER_PROCESS) },
      speed: { type: 'string', default: '1' },
      'alarm-every-s': { type: 'string', default: '240' },
      'duration-s': { type: 'string', default: '60' },
      prefix: { type: 'string', default: `bench-${process.pid}` },
      'keep-retained': { type: 'boolean', default: false },
    },
  });
  const model = values.model as SimulatedModel;
  if (!SIMULATED_MODELS.includes(model)) throw new Error(`--model must be one of ${SIMULATED_MODELS.join(', ')}`);
  const started = Date.now();
  const devices = syntheticDevices(Number(values.devices), model, values.prefix);
  const fleet = await launchFleet({
    url: values.url,
    devices,
    seed: 1,
    speed: Number(values.speed),
    alarmEveryS: Number(values['alarm-every-s']),
    devicesPerProcess: Number(values['per-process']),
  });
  process.stdout.write(`launcher: ${values.devices} devices in ${fleet.processes} processes connected in ${Date.now() - started} ms\n`);
  const tick = setInterval(() => process.stdout.write(`launcher: ${formatStats(fleet.stats())}\n`), 5000);
  const stop = async (): Promise<void> => {
    clearInterval(tick);
    await fleet.stop();
    if (!values['keep-retained'])
      await clearRetainedStatuses(
        values.url,
        devices.map((d) => d.id),
      );
    process.stdout.write(`launcher: stopped · ${formatStats(fleet.stats())}\n`);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  setTimeout(() => void stop(), Number(values['duration-s']) * 1000).unref();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: Error) => {
    process.stderr.write(`launcher: ${err.message}\n`);
    process.exit(1);
  });
}
