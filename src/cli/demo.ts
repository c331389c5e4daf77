import { type Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config/index.ts';
import { Shutdown } from '../platform/index.ts';
import { action, print } from './output.ts';

export function demoCommand(program: Command): void {
  program
    .command('demo')
    .description('run Centinela with a simulated fleet and a year of history: the whole job in one command')
    .option('--scenario <file>', 'scenario file (default: devices/scenarios/default.json)')
    .option('--seed <n>', 'seed for the simulation (default: the scenario seed)', (v) => Number.parseInt(v, 10))
    .option('--panic-every <seconds>', 'seconds between panic presses (default: the scenario, at least 30 s)', (v) => {
      const n = Number.parseInt(v, 10);
      if (!Number.isInteger(n) || n < 1 || n > 86_400) throw new InvalidArgumentError('expected whole seconds from 1 to 86400');
      return n;
    })
    .action(
      action(async (opts: { scenario?: string; seed?: number; panicEvery?: number }, cmd: Command) => {
        const say = (line: string) => process.stderr.write(`${line}\n`);
        say('starting Centinela with a demo database (rebuilt at each start)…');
        // Loaded on demand: the simulators and the whole service are not needed by other commands.
        const { runDemo } = await import('./demo/run-demo.ts');
        const demo = await runDemo(loadConfig(), { scenarioPath: opts.scenario, seed: opts.seed, panicEveryS: opts.panicEvery, say });
        const width = Math.max(...demo.logins.map((l) => l.name.length));
        print(
          cmd.optsWithGlobals(),
          {
            console: demo.consoleUrl,
            mqttPort: demo.mqttPort,
            logins: demo.logins,
            counts: demo.counts,
            panic: { everyS: demo.panic.everyS, firstAfterS: demo.panic.firstAfterS, first: demo.panic.first ?? null },
          },
          [
            '',
            `Console: ${demo.consoleUrl}    MQTT: port ${demo.mqttPort}`,
            `${demo.counts.people} people and ${demo.counts.devices} devices in ${demo.counts.states} states, with a year of history.`,
            'Logins (shown once; the demo database is rebuilt at each start):',
            ...demo.logins.map((l) => `  ${l.name.padEnd(width)}  ${l.password}  (${l.role})`),
            '',
            `A panic alarm comes every ${every(demo.panic.everyS)}, the first in ${demo.panic.firstAfterS} s. Ctrl-C stops everything.`,
          ].join('\n'),
        );
        const shutdown = new Shutdown(demo.centinela.logger);
        shutdown.add('demo', () => demo.stop());
        shutdown.onSignals();
      }),
    );
}

/** 240 → "4 minutes", 90 → "90 s": the interval as the terminal promises it. */
const every = (s: number): string => (s % 60 === 0 ? `${s / 60 === 1 ? 'minute' : `${s / 60} minutes`}` : `${s} s`);
