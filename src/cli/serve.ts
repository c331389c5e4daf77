import type { Command } from 'commander';
import { loadConfig } from '../config/index.ts';
import { Shutdown } from '../platform/index.ts';
import { action } from './output.ts';

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('run Centinela: API, console, MQTT intake, escalation and supervision')
    .action(
      action(async () => {
        const config = loadConfig();
        // Loaded on demand: one-shot commands (user add, audit verify) need none of the service.
        const { startCentinela } = await import('../main.ts');
        const centinela = await startCentinela(config);
        const shutdown = new Shutdown(centinela.logger);
        shutdown.add('centinela', () => centinela.stop());
        shutdown.onSignals();
      }),
    );
}
