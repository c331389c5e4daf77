import type { Command } from 'commander';
import { CentinelaError } from '../domain/errors.ts';
import { AuditCheckpoints } from '../store/index.ts';
import { withStore } from './context.ts';
import { action, print } from './output.ts';

export function auditCommand(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit log');
  audit
    .command('verify')
    .description('check every link of the audit chain and report the first broken one')
    .action(
      action(async (_opts, cmd: Command) => {
        // Issue 15: checked against the keyed checkpoints kept outside the database (docs/audit.md).
        const result = await withStore(
          ({ repos, config }) => repos.audit.verify(AuditCheckpoints.open(config.dataDir, config.audit.key, { create: false })?.read()),
          { anchor: false },
        );
        if (!result.ok) {
          if (cmd.optsWithGlobals().json) print(cmd.optsWithGlobals(), result, '');
          throw new CentinelaError('CENTINELA_ERR_AUDIT_BROKEN', `audit chain broken at entry ${result.brokenAt}: ${result.reason}`);
        }
        const anchored =
          result.checkpoints === undefined
            ? ' (no checkpoints outside the database yet)'
            : `, ${result.checkpoints} checkpoints outside the database hold up to entry ${result.anchoredUpTo}`;
        print(cmd.optsWithGlobals(), result, `audit chain intact: ${result.entries} entries${anchored}`);
      }),
    );
}
