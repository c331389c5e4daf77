/**
 * Load benchmark (issue 7 item 4; not a test). For each fleet size, the same scenario against
 * `centinela serve` and then against plain aedes, in one run: panic buttons at their catalogue
 * interval (heartbeat every 60 s) plus a fleet-wide stream of panic presses, spread over
 * fleet-runner processes; a sample of devices fails during the window (connection killed without
 * DISCONNECT; device connected but silent). Servers and the Twilio recorder listen on 127.0.0.1.
 *
 *   node --import tsx bench/load-bench.ts [--sizes 1000,10000,max] [--targets centinela,aedes]
 *     [--window-s 120] [--warm-s 20] [--baseline-s 15] [--alarm-every-s 2] [--per-process 5000]
 *     [--sample N] [--max-minutes 45] [--probe-limit] [--file-limit N (rehearsal: servers under prlimit)]
 *
 * Prints Markdown tables (see bench/load-results.md) and writes the raw results as JSON to
 * bench/load/runs/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type PhaseConfig, type PhaseResult, runPhase } from './load-phase.ts';
import { childPids } from './load-proc.ts';
import { formatResults } from './load-report.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,max' },
    targets: { type: 'string', default: 'centinela,aedes' },
    'window-s': { type: 'string', default: '120' },
    'warm-s': { type: 'string', default: '20' },
    'baseline-s': { type: 'string', default: '15' },
    'alarm-every-s': { type: 'string', default: '2' },
    'per-process': { type: 'string', default: '5000' },
    sample: { type: 'string' },
    'max-minutes': { type: 'string', default: '45' },
    'probe-limit': { type: 'boolean', default: false },
    'file-limit': { type: 'string' },
  },
});

const sizes = (values.sizes as string).split(',').map((s) => (s === 'max' ? 'max' : Number(s)));
const targets = (values.targets as string).split(',') as ('centinela' | 'aedes')[];
const started = new Date();
const out = path.join(
  path.dirname(new URL(import.meta.url).pathname),
  'load',
  'runs',
  `load-${started.toISOString().replace(/[:.]/g, '-')}.json`,
);
const results: PhaseResult[] = [];
const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  startedAt: started.toISOString(),
  args: process.argv.slice(2),
};
const save = () => {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify({ machine, results }, null, 2)}\n`);
};

// Bounded: whatever hangs, the run ends by itself and takes the processes it started with it
// (`centinela serve` has no IPC channel, so it would outlive us otherwise).
const abort = (why: string) => {
  process.stderr.write(`load bench: ${why}; stopping what it started\n`);
  for (const pid of childPids(process.pid)) process.kill(pid, 'SIGKILL');
  save();
  process.exit(2);
};
setTimeout(() => abort(`over --max-minutes ${values['max-minutes']}`), Number(values['max-minutes']) * 60_000).unref();
process.once('SIGINT', () => abort('interrupted'));
process.once('SIGTERM', () => abort('terminated'));

for (const size of sizes) {
  const sample = values.sample ? Number(values.sample) : size === 'max' ? 50 : Math.min(50, Math.max(5, Math.floor(size / 40)));
  const cfg: PhaseConfig = {
    size,
    baselineS: Number(values['baseline-s']),
    warmS: Number(values['warm-s']),
    windowS: Number(values['window-s']),
    alarmEveryS: Number(values['alarm-every-s']),
    devicesPerProcess: Number(values['per-process']),
    sample,
    probeLimit: values['probe-limit'] as boolean,
    ...(values['file-limit'] ? { fileLimit: Number(values['file-limit']) } : {}),
  };
  let devices = size === 'max' ? undefined : size;
  for (const target of targets) {
    try {
      const r = await runPhase(target, cfg, devices ?? (size === 'max' ? 19_700 : size));
      devices = r.devices;
      results.push(r);
      process.stderr.write(`${JSON.stringify(r)}\n`);
    } catch (err) {
      process.stderr.write(`[${target} ${size}] failed: ${(err as Error).stack}\n`);
    }
    save();
  }
}
console.log(formatResults(machine, results));
process.stderr.write(`raw results: ${out}\n`);
process.exit(0);
