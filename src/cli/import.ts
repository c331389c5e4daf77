import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CentinelaError } from '../domain/errors.ts';
import { IMPORT_KINDS, importKindSchema } from '../domain/import-rows.ts';
import { importCsv, systemActor } from '../store/index.ts';
import { withStore } from './context.ts';
import { action, type OutputOptions, print } from './output.ts';

/**
 * `centinela import KIND FILE`: the same all-or-nothing import as POST /api/imports/{kind}.
 * A refused file prints every bad line (stdout; in the JSON with --json) and exits 2 with a
 * one-line reason on stderr.
 */
export function importCommand(program: Command): void {
  program
    .command('import')
    .description(`register records from a CSV file (UTF-8, header = field names), all or nothing: ${IMPORT_KINDS.join(', ')}`)
    .argument('<kind>', IMPORT_KINDS.join('|'))
    .argument('<file>', 'the CSV file')
    .option('--dry-run', 'check everything, the database included, and write nothing')
    .option('--secrets-later', 'devices: issue no MQTT secrets now (issue each at installation: POST /api/devices/ID/secret)')
    .action(
      action(async (kindArg: string, file: string, opts: { dryRun?: boolean; secretsLater?: boolean }, cmd: Command) => {
        const kind = importKindSchema.safeParse(kindArg);
        if (!kind.success) throw new CentinelaError('CENTINELA_ERR_VALIDATION', `kind: expected one of ${IMPORT_KINDS.join(', ')}`);
        const bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
          throw new CentinelaError('CENTINELA_ERR_VALIDATION', `${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
        });
        const dryRun = opts.dryRun === true;
        const result = await withStore(({ repos }) =>
          importCsv(repos, systemActor('cli'), kind.data, bytes, { dryRun, issueSecrets: opts.secretsLater !== true }),
        );
        const output: OutputOptions = cmd.optsWithGlobals();
        if (!result.ok) {
          const lines = new Set(result.problems.map((p) => p.line)).size;
          const message = `nothing was imported: ${lines} line${lines === 1 ? '' : 's'} of ${file} with problems`;
          if (output.json) {
            process.stdout.write(`${JSON.stringify({ error: { code: 'CENTINELA_ERR_VALIDATION', message, lines: result.problems } })}\n`);
          } else {
            for (const p of result.problems) process.stdout.write(`line ${p.line}${p.column ? ` ${p.column}` : ''}: ${p.message}\n`);
          }
          process.stderr.write(`centinela: ${message}\n`);
          process.exit(2);
        }
        const { ok: _ok, preview: _preview, ...data } = result;
        const verb = dryRun ? 'would import' : 'imported';
        const secrets = (result.secrets ?? []).map((s) => `${s.deviceId}\t${s.secret}`);
        print(
          output,
          data,
          [`${verb} ${result.rows} ${kind.data} from ${file}`, ...(secrets.length ? ['MQTT secrets (shown once):', ...secrets] : [])].join(
            '\n',
          ),
        );
      }),
    );
}
