import { Command } from 'commander';
import { auditCommand } from './audit.ts';
import { demoCommand } from './demo.ts';
import { deviceCommand } from './device.ts';
import { importCommand } from './import.ts';
import { migrateCommand } from './migrate.ts';
import { reportCommand } from './report.ts';
import { serveCommand } from './serve.ts';
import { userCommand } from './user.ts';

const program = new Command('centinela')
  .description('Centinela: alarm-receiving centre for panic buttons, cameras and satellite phones')
  .option('--json', 'machine-readable output (secrets and tokens included)')
  // Failures are one line (`centinela: …`), so scripts and people see the reason, not a help page.
  .configureOutput({ outputError: (text, write) => write(`centinela: ${text.replace(/^error: /, '').split('\n')[0]}\n`) });

// Set before the subcommands are added so they inherit it: usage errors exit 2, like bad input.
program.exitOverride((err) => {
  process.exit(err.exitCode === 0 ? 0 : 2);
});

for (const register of [serveCommand, demoCommand, migrateCommand, userCommand, deviceCommand, auditCommand, reportCommand, importCommand])
  register(program);

await program.parseAsync(process.argv);
