import { Command } from 'commander';
import { auditCommand } from './audit.ts';
import { deviceCommand } from './device.ts';
import { migrateCommand } from './migrate.ts';
import { serveCommand } from './serve.ts';
import { userCommand } from './user.ts';

const program = new Command('centinela')
  .description('Centinela: alarm-receiving centre for panic buttons, cameras and satellite phones')
  .option('--json', 'machine-readable output (secrets and tokens included)')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text.split('\n')[0] ? `${text.split('\n')[0]}\n` : text) });

for (const register of [serveCommand, migrateCommand, userCommand, deviceCommand, auditCommand]) register(program);

program.exitOverride((err) => {
  process.exit(err.exitCode === 0 ? 0 : 2);
});

await program.parseAsync(process.argv);
