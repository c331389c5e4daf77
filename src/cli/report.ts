import type { Command } from 'commander';
import { CentinelaError } from '../domain/errors.ts';
import { toCsv } from '../domain/reports-csv.ts';
import { GROUP_BYS, type GroupBy } from '../domain/reports-types.ts';
import { buildReport } from '../health/index.ts';
import { withStore } from './context.ts';
import { action, print } from './output.ts';

interface ReportOptions {
  from?: string;
  to?: string;
  groupBy: string;
  format?: string;
  suppressSmallGroups?: boolean;
}

function parseWhen(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const t = Date.parse(value);
  if (!Number.isFinite(t))
    throw new CentinelaError('CENTINELA_ERR_VALIDATION', `${flag}: expected a date (2026-06-01) or an ISO-8601 date-time`);
  return t;
}

/** `centinela report reliability|cost`: the reports of docs/architecture.md, straight from the database. */
export function reportCommand(program: Command): void {
  const report = program.command('report').description('reliability and cost-effectiveness reports');
  for (const kind of ['reliability', 'cost'] as const) {
    report
      .command(kind)
      .description(
        kind === 'reliability'
          ? 'availability, delivery, episodes, alarm timings, protection gaps'
          : 'spend, waste, cost per protected day and per answered alarm',
      )
      .option('--from <date>', 'start of the period (default: first day of this month, UTC)')
      .option('--to <date>', 'end of the period, exclusive (default: now)')
      .option('--group-by <group>', `one of ${GROUP_BYS.join(', ')}`, 'kind')
      .option('--format <format>', 'json or csv (default: a table; --json implies json)')
      .option('--suppress-small-groups', 'withhold groups of fewer than 5 beneficiaries, as analysts see them')
      .action(
        action(async (opts: ReportOptions, cmd: Command) => {
          const now = Date.now();
          const d = new Date(now);
          const from = parseWhen('--from', opts.from, Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
          const to = parseWhen('--to', opts.to, now);
          if (!(to > from)) throw new CentinelaError('CENTINELA_ERR_VALIDATION', '--to must be after --from');
          if (!GROUP_BYS.includes(opts.groupBy as GroupBy)) {
            throw new CentinelaError('CENTINELA_ERR_VALIDATION', `--group-by: expected one of ${GROUP_BYS.join(', ')}`);
          }
          if (opts.format !== undefined && opts.format !== 'json' && opts.format !== 'csv') {
            throw new CentinelaError('CENTINELA_ERR_VALIDATION', '--format: expected json or csv');
          }
          const params = { from, to, groupBy: opts.groupBy as GroupBy };
          const run = { asOf: now, suppressSmallGroups: opts.suppressSmallGroups === true };
          const result = await withStore(
            async ({ repos }): Promise<{ rows: unknown[]; total: unknown }> =>
              kind === 'reliability' ? buildReport(repos, 'reliability', params, run) : buildReport(repos, 'cost', params, run),
          );
          const rows = [...result.rows, result.total] as unknown as Record<string, unknown>[];
          const global = cmd.optsWithGlobals();
          if (opts.format === 'csv' && !global.json) {
            process.stdout.write(toCsv(rows));
            return;
          }
          if (opts.format === 'json' || global.json) {
            print({ json: true }, result, '');
            return;
          }
          print(global, result, toCsv(rows).trimEnd().replaceAll(',', '\t'));
        }),
      );
  }
}
