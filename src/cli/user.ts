import { type Command, Option } from 'commander';
import { CentinelaError } from '../domain/errors.ts';
import { e164Schema } from '../domain/registry.ts';
import { ROLES, type Role } from '../domain/roles.ts';
import { hashSecret } from '../platform/secrets.ts';
import { systemActor } from '../store/index.ts';
import { withStore } from './context.ts';
import { action, print } from './output.ts';

const cli = systemActor('cli');

async function readPassword(): Promise<string | undefined> {
  const fromEnv = process.env.CENTINELA_NEW_PASSWORD;
  if (fromEnv) return fromEnv;
  return undefined;
}

export function userCommand(program: Command): void {
  const user = program.command('user').description('manage staff accounts');

  user
    .command('add')
    .description('create a user and print a bearer token once')
    .requiredOption('--name <name>', 'login name')
    .addOption(new Option('--role <role>', 'role').choices(ROLES).makeOptionMandatory())
    .option('--phone <e164>', 'phone for SMS acknowledgement (operators, supervisors)')
    .option('--password', 'also set a console password, read from CENTINELA_NEW_PASSWORD')
    .action(
      action(async (opts: { name: string; role: Role; phone?: string; password?: boolean }, cmd: Command) => {
        if (opts.phone && !e164Schema.safeParse(opts.phone).success)
          throw new CentinelaError('CENTINELA_ERR_VALIDATION', '--phone: expected E.164, e.g. +522281234567');
        let passwordHash: string | undefined;
        if (opts.password) {
          const password = await readPassword();
          if (!password || password.length < 12)
            throw new CentinelaError('CENTINELA_ERR_VALIDATION', '--password: set CENTINELA_NEW_PASSWORD to at least 12 characters');
          passwordHash = await hashSecret(password);
        }
        const { user: created, token } = await withStore(({ repos }) =>
          repos.users.create(cli, { name: opts.name, role: opts.role, phone: opts.phone, passwordHash }),
        );
        print(
          cmd.optsWithGlobals(),
          { user: created, token },
          `created ${created.role} ${created.name} (${created.id})\ntoken (shown once): ${token}`,
        );
      }),
    );

  user
    .command('list')
    .description('list users')
    .action(
      action(async (_opts, cmd: Command) => {
        const users = await withStore(({ repos }) => repos.users.list());
        print(
          cmd.optsWithGlobals(),
          users,
          users.map((u) => `${u.id}  ${u.role.padEnd(10)} ${u.name}${u.disabledAt ? '  (disabled)' : ''}`).join('\n') || 'no users',
        );
      }),
    );

  user
    .command('revoke')
    .description("revoke every token of a user (effective on the user's next request)")
    .requiredOption('--name <name>', 'login name')
    .action(
      action(async (opts: { name: string }, cmd: Command) => {
        const revoked = await withStore(async ({ repos }) => {
          const found = await repos.users.findByName(opts.name);
          if (!found) throw new CentinelaError('CENTINELA_ERR_NOT_FOUND', `user ${JSON.stringify(opts.name)} does not exist`);
          return repos.users.revokeTokens(cli, found.id);
        });
        print(cmd.optsWithGlobals(), { name: opts.name, revoked }, `revoked ${revoked} token(s) of ${opts.name}`);
      }),
    );
}
