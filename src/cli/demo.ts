import type { Command } from 'commander';
import { loadConfig } from '../config/index.ts';
import { Shutdown } from '../platform/index.ts';
import { action, print } from './output.ts';

export function demoCommand(program: Command): void {
  program
    .command('demo')
    .description('run Centinela with a simulated fleet and a year of history: the whole job in one command')
    .option('--scenario <file>', 'scenario file (default: devices/scenarios/default.json)')
    .option('--seed <n>', 'seed for the simulation (default: the scenario seed)', (v) => Number.parseInt(v, 10))
    .action(
      action(async (opts: { scenario?: string; seed?: number }, cmd: Command) => {
        const say = (line: string) => process.stderr.write(`${line}\n`);
        say('starting Centinela with a demo database (rebuilt at each start)…');
        // Loaded on demand: the simulators and the whole service are not needed by other commands.
        const { runDemo } = await import('./demo/run-demo.ts');
        const demo = await runDemo(loadConfig(), { scenarioPath: opts.scenario, seed: opts.seed, say });
        const width = Math.max(...demo.logins.map((l) => l.name.length));
        print(
          cmd.optsWithGlobals(),
          { console: demo.consoleUrl, logins: demo.logins },
          [
            '',
            `Console: ${demo.consoleUrl}`,
            'Logins (shown once; the demo database is rebuilt at each start):',
            ...demo.logins.map((l) => `  ${l.name.padEnd(width)}  ${l.password}  (${l.role})`),
            '',
            'Simulated devices are connecting; a panic alarm comes every few minutes. Ctrl-C stops everything.',
          ].join('\n'),
        );
        const shutdown = new Shutdown(demo.centinela.logger);
        shutdown.add('demo', () => demo.stop());
        shutdown.onSignals();
      }),
    );
}
