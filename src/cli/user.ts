import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { type Command, Option } from 'commander';
import { CentinelaError } from '../domain/errors.ts';
import { e164Schema } from '../domain/registry.ts';
import { ROLES, type Role } from '../domain/roles.ts';
import { hashSecret } from '../platform/secrets.ts';
import { systemActor } from '../store/index.ts';
import { withStore } from './context.ts';
import { action, print } from './output.ts';

const cli = systemActor('cli');

/**
 * The new console password: from CENTINELA_NEW_PASSWORD (scripts), typed twice at a hidden
 * prompt on a terminal, or the first line of piped standard input. Never from an argument:
 * arguments end up in shell history and `ps`.
 */
async function readPassword(): Promise<string | undefined> {
  const fromEnv = process.env.CENTINELA_NEW_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) {
    const first = await promptHidden('new console password: ');
    const again = await promptHidden('repeat it: ');
    if (first !== again) throw new CentinelaError('CENTINELA_ERR_VALIDATION', '--password: the two passwords differ');
    return first;
  }
  let piped = '';
  for await (const chunk of process.stdin) piped += String(chunk);
  return piped.split(/\r?\n/)[0] || undefined;
}

/** Asks on the terminal without echoing what is typed (output goes to stderr, stdout stays JSON). */
async function promptHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, encoding, done) {
      if (!muted) process.stderr.write(chunk, encoding);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  process.stderr.write(question);
  muted = true;
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}

async function passwordHashFromInput(): Promise<string> {
  const password = await readPassword();
  if (!password || password.length < 12)
    throw new CentinelaError('CENTINELA_ERR_VALIDATION', '--password: a console password needs at least 12 characters');
  return hashSecret(password);
}

export function userCommand(program: Command): void {
  const user = program.command('user').description('manage staff accounts');

  user
    .command('add')
    .description('create a user and print a bearer token once')
    .requiredOption('--name <name>', 'login name')
    .addOption(new Option('--role <role>', 'role').choices(ROLES).makeOptionMandatory())
    .option('--phone <e164>', 'phone for SMS acknowledgement (operators, supervisors)')
    .option('--password', 'also set a console password: prompted on a terminal, else CENTINELA_NEW_PASSWORD or the first line of stdin')
    .action(
      action(async (opts: { name: string; role: Role; phone?: string; password?: boolean }, cmd: Command) => {
        if (opts.phone && !e164Schema.safeParse(opts.phone).success)
          throw new CentinelaError('CENTINELA_ERR_VALIDATION', '--phone: expected E.164, e.g. +522281234567');
        const passwordHash = opts.password ? await passwordHashFromInput() : undefined;
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
    .command('set-password')
    .description('set or replace the console password of a user and end their open console sessions')
    .requiredOption('--name <name>', 'login name')
    .action(
      action(async (opts: { name: string }, cmd: Command) => {
        const passwordHash = await passwordHashFromInput();
        await withStore(async ({ repos }) => {
          const found = await repos.users.findByName(opts.name);
          if (!found) throw new CentinelaError('CENTINELA_ERR_NOT_FOUND', `user ${JSON.stringify(opts.name)} does not exist`);
          await repos.users.setPassword(cli, found.id, passwordHash);
          // A new password is often a response to a leaked one: browsers logged in with it are logged out.
          await repos.consoleSessions.revokeAllOf(found.id, Date.now());
        });
        print(cmd.optsWithGlobals(), { name: opts.name, passwordSet: true }, `console password set for ${opts.name}`);
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
