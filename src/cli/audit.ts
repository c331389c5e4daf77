import type { Command } from 'commander';
import { CentinelaError } from '../domain/errors.ts';
import { withStore } from './context.ts';
import { action, print } from './output.ts';

export function auditCommand(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit log');
  audit
    .command('verify')
    .description('check every link of the audit chain and report the first broken one')
    .action(
      action(async (_opts, cmd: Command) => {
        const result = await withStore(({ repos }) => repos.audit.verify());
        if (!result.ok) {
          if (cmd.optsWithGlobals().json) print(cmd.optsWithGlobals(), result, '');
          throw new CentinelaError('CENTINELA_ERR_AUDIT_BROKEN', `audit chain broken at entry ${result.brokenAt}: ${result.reason}`);
        }
        print(cmd.optsWithGlobals(), result, `audit chain intact: ${result.entries} entries`);
      }),
    );
}
