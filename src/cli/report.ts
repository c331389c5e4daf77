import type { Command } from 'commander';
import { loadConfig } from '../config/index.ts';
import { CentinelaError } from '../domain/errors.ts';
import { reportPeriod } from '../domain/report-period.ts';
import { toCsv } from '../domain/reports-csv.ts';
import { GROUP_BYS, type GroupBy } from '../domain/reports-types.ts';
import { buildPathReport, buildReport, buildSuitability, loadSuitabilityThresholds } from '../health/index.ts';
import { withStore } from './context.ts';
import { action, print } from './output.ts';

interface ReportOptions {
  from?: string;
  to?: string;
  groupBy: string;
  format?: string;
  suppressSmallGroups?: boolean;
}

/** `centinela report reliability|cost|path-availability|suitability`: the reports of docs/architecture.md, straight from the database. */
export function reportCommand(program: Command): void {
  const report = program.command('report').description('reliability, cost-effectiveness, path availability and suitability reports');
  for (const kind of ['reliability', 'cost'] as const) {
    report
      .command(kind)
      .description(
        kind === 'reliability'
          ? 'availability, delivery, episodes, alarm timings, protection gaps'
          : 'spend, waste, cost per protected day and per answered alarm',
      )
      .option('--from <date>', "start of the period, a day in the centre's time zone (default: first day of this month)")
      .option('--to <date>', 'end of the period, exclusive (default: now)')
      .option('--group-by <group>', `one of ${GROUP_BYS.join(', ')}`, 'kind')
      .option('--format <format>', 'json or csv (default: a table; --json implies json)')
      .option('--suppress-small-groups', 'withhold small groups as analysts see them (whole months; fewer than 5 people)')
      .action(
        action(async (opts: ReportOptions, cmd: Command) => {
          const now = Date.now();
          const { timeZone } = loadConfig();
          const suppress = opts.suppressSmallGroups === true;
          const { from, to } = reportPeriod({ from: opts.from, to: opts.to }, now, timeZone, { wholeMonths: suppress, fieldPrefix: '--' });
          if (!GROUP_BYS.includes(opts.groupBy as GroupBy)) {
            throw new CentinelaError('CENTINELA_ERR_VALIDATION', `--group-by: expected one of ${GROUP_BYS.join(', ')}`);
          }
          if (opts.format !== undefined && opts.format !== 'json' && opts.format !== 'csv') {
            throw new CentinelaError('CENTINELA_ERR_VALIDATION', '--format: expected json or csv');
          }
          const params = { from, to, groupBy: opts.groupBy as GroupBy };
          const run = { asOf: now, timeZone, suppressSmallGroups: suppress };
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
  report
    .command('path-availability')
    .description('availability per path (cellular, satellite, wired) of dual-path devices')
    .option('--from <date>', "start of the period, a day in the centre's time zone (default: first day of this month)")
    .option('--to <date>', 'end of the period, exclusive (default: now)')
    .option('--group-by <group>', `one of ${GROUP_BYS.join(', ')}`, 'kind')
    .option('--format <format>', 'json or csv (default: a table; --json implies json)')
    .option('--suppress-small-groups', 'withhold small groups as analysts see them (whole months; fewer than 5 people)')
    .action(
      action(async (opts: ReportOptions, cmd: Command) => {
        const now = Date.now();
        const { timeZone } = loadConfig();
        const suppress = opts.suppressSmallGroups === true;
        const { from, to } = reportPeriod({ from: opts.from, to: opts.to }, now, timeZone, { wholeMonths: suppress, fieldPrefix: '--' });
        if (!GROUP_BYS.includes(opts.groupBy as GroupBy)) {
          throw new CentinelaError('CENTINELA_ERR_VALIDATION', `--group-by: expected one of ${GROUP_BYS.join(', ')}`);
        }
        if (opts.format !== undefined && opts.format !== 'json' && opts.format !== 'csv') {
          throw new CentinelaError('CENTINELA_ERR_VALIDATION', '--format: expected json or csv');
        }
        const result = await withStore(({ repos }) =>
          buildPathReport(repos, { from, to, groupBy: opts.groupBy as GroupBy }, { asOf: now, timeZone, suppressSmallGroups: suppress }),
        );
        const rows = [...result.rows, ...result.totals] as unknown as Record<string, unknown>[];
        const global = cmd.optsWithGlobals();
        if (opts.format === 'csv' && !global.json) {
          process.stdout.write(toCsv(rows));
          return;
        }
        if (opts.format === 'json' || global.json) {
          print({ json: true }, result, '');
          return;
        }
        print(global, result, result.noData ? 'no declared path in service in the period' : toCsv(rows).trimEnd().replaceAll(',', '\t'));
      }),
    );
  report
    .command('suitability')
    .description('is each measure worth it per municipality, state and kind: figures and a verdict (default: the last 90 days)')
    .option('--from <date>', "start of the period, a day in the centre's time zone (default: 90 days ago)")
    .option('--to <date>', 'end of the period, exclusive (default: now)')
    .option('--format <format>', 'json or csv (default: a table; --json implies json)')
    .option('--lang <lang>', 'language of the verdicts: es or en', 'es')
    .option('--suppress-small-groups', 'withhold small cells as analysts see them (whole months; fewer than 5 people)')
    .action(
      action(async (opts: ReportOptions & { lang: string }, cmd: Command) => {
        const now = Date.now();
        const config = loadConfig();
        const suppress = opts.suppressSmallGroups === true;
        if (opts.format !== undefined && opts.format !== 'json' && opts.format !== 'csv') {
          throw new CentinelaError('CENTINELA_ERR_VALIDATION', '--format: expected json or csv');
        }
        if (opts.lang !== 'es' && opts.lang !== 'en') throw new CentinelaError('CENTINELA_ERR_VALIDATION', '--lang: expected es or en');
        const lang = opts.lang;
        const { from, to } = reportPeriod({ from: opts.from, to: opts.to }, now, config.timeZone, {
          wholeMonths: suppress,
          fieldPrefix: '--',
          defaultFrom: now - 90 * 86_400_000,
        });
        const thresholds = loadSuitabilityThresholds(config.suitabilityFile);
        const result = await withStore(({ repos }) =>
          buildSuitability(repos, { from, to, asOf: now, timeZone: config.timeZone, thresholds }, suppress),
        );
        const global = cmd.optsWithGlobals();
        if (opts.format === 'json' || global.json) {
          print({ json: true }, result, '');
          return;
        }
        const rows = result.rows.map((r) => ({
          state: r.state,
          municipality: r.municipality ?? '',
          kind: r.kind,
          people: r.suppressed ? 'suppressed' : (r.people ?? ''),
          availability: r.availability ?? '',
          checkInShare: r.checkInShare ?? '',
          onSceneP50Min: r.onSceneP50Min ?? '',
          costPerProtectedDayMxn: r.costPerProtectedDayMxn ?? '',
          verdict: r.verdict ?? '',
          reasons: r.reasons.map((x) => x.text[lang]).join('; '),
        }));
        if (opts.format === 'csv') {
          process.stdout.write(toCsv(rows));
          return;
        }
        const unknown = result.unknownMunicipality.map((u) => `${u.state}: ${u.devices} device(s) with no or a doubtful municipality`);
        print(
          global,
          result,
          result.noData ? 'no data in the period' : [toCsv(rows).trimEnd().replaceAll(',', '\t'), ...unknown].join('\n'),
        );
      }),
    );
}
