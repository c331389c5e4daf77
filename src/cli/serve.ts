import type { Command } from 'commander';
import { loadConfig } from '../config/index.ts';
import { startCentinela } from '../main.ts';
import { Shutdown } from '../platform/index.ts';
import { action } from './output.ts';

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('run Centinela: API, console, MQTT intake, escalation and supervision')
    .action(
      action(async () => {
        const config = loadConfig();
        const centinela = await startCentinela(config);
        const shutdown = new Shutdown(centinela.logger);
        shutdown.add('centinela', () => centinela.stop());
        shutdown.onSignals();
      }),
    );
}
