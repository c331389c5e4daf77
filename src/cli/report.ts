import type { Command } from 'commander';
import { planStepsReport } from '../alerts/index.ts';
import { loadConfig } from '../config/index.ts';
import { CentinelaError } from '../domain/errors.ts';
import { reportPeriod } from '../domain/report-period.ts';
import { toCsv } from '../domain/reports-csv.ts';
import { GROUP_BYS, type GroupBy } from '../domain/reports-types.ts';
import {
  buildPathReport,
  buildReport,
  buildSuitability,
  loadSuitabilityThresholds,
  type ReportParams,
  type ReportRunOptions,
} from '../health/index.ts';
import { withStore } from './context.ts';
import { action, print } from './output.ts';

interface ReportOptions {
  from?: string;
  to?: string;
  groupBy: string;
  format?: string;
  suppressSmallGroups?: boolean;
}

/** The options every report over a period takes (reliability, cost, path availability, plan steps). */
function periodReportCommand(report: Command, name: string, description: string): Command {
  return report
    .command(name)
    .description(description)
    .option('--from <date>', "start of the period, a day in the centre's time zone (default: first day of this month)")
    .option('--to <date>', 'end of the period, exclusive (default: now)')
    .option('--format <format>', 'table, json or csv (default: a table; --json implies json)')
    .option('--suppress-small-groups', 'withhold small groups as analysts see them (whole months; fewer than 5 people)');
}

/** …and the grouped ones a --group-by. */
function groupedReportCommand(report: Command, name: string, description: string): Command {
  return periodReportCommand(report, name, description).option('--group-by <group>', `one of ${GROUP_BYS.join(', ')}`, 'kind');
}

function checkFormat(format: string | undefined): void {
  if (format !== undefined && format !== 'table' && format !== 'json' && format !== 'csv') {
    throw new CentinelaError('CENTINELA_ERR_VALIDATION', '--format: expected table, json or csv');
  }
}

/** The period and suppression a report was asked for; a bad --format is refused. */
function periodRequest(
  opts: Omit<ReportOptions, 'groupBy'>,
  now: number,
  timeZone: string,
): { from: number; to: number; suppress: boolean } {
  const suppress = opts.suppressSmallGroups === true;
  const { from, to } = reportPeriod({ from: opts.from, to: opts.to }, now, timeZone, { wholeMonths: suppress, fieldPrefix: '--' });
  checkFormat(opts.format);
  return { from, to, suppress };
}

/** The period, grouping and suppression a grouped report was asked for; a bad --group-by or --format is refused. */
function groupedReportRequest(opts: ReportOptions, now: number, timeZone: string): { params: ReportParams; run: ReportRunOptions } {
  const { from, to, suppress } = periodRequest(opts, now, timeZone);
  if (!GROUP_BYS.includes(opts.groupBy as GroupBy)) {
    throw new CentinelaError('CENTINELA_ERR_VALIDATION', `--group-by: expected one of ${GROUP_BYS.join(', ')}`);
  }
  return { params: { from, to, groupBy: opts.groupBy as GroupBy }, run: { asOf: now, timeZone, suppressSmallGroups: suppress } };
}

/** A report as JSON (--format json or --json), as CSV of `rows`, or else as the table `table()` draws. */
function printReport(cmd: Command, format: string | undefined, result: unknown, rows: readonly object[], table: () => string): void {
  const global = cmd.optsWithGlobals();
  if (format === 'json' || global.json) {
    print({ json: true }, result, '');
    return;
  }
  if (format === 'csv') {
    process.stdout.write(toCsv(rows as Record<string, unknown>[]));
    return;
  }
  print(global, result, table());
}

const tabbed = (rows: readonly object[]): string =>
  toCsv(rows as Record<string, unknown>[])
    .trimEnd()
    .replaceAll(',', '\t');

/** `centinela report reliability|cost|path-availability|plan-steps|suitability`: the reports of docs/architecture.md, straight from the database. */
export function reportCommand(program: Command): void {
  const report = program
    .command('report')
    .description('reliability, cost-effectiveness, path availability, plan steps skipped and suitability reports');
  for (const kind of ['reliability', 'cost'] as const) {
    groupedReportCommand(
      report,
      kind,
      kind === 'reliability'
        ? 'availability, delivery, episodes, alarm timings, protection gaps'
        : 'spend, waste, cost per protected day and per answered alarm',
    ).action(
      action(async (opts: ReportOptions, cmd: Command) => {
        const { params, run } = groupedReportRequest(opts, Date.now(), loadConfig().timeZone);
        const result = await withStore(
          async ({ repos }): Promise<{ rows: unknown[]; total: unknown }> =>
            kind === 'reliability' ? buildReport(repos, 'reliability', params, run) : buildReport(repos, 'cost', params, run),
        );
        const rows = [...result.rows, result.total] as object[];
        printReport(cmd, opts.format, result, rows, () => tabbed(rows));
      }),
    );
  }
  groupedReportCommand(report, 'path-availability', 'availability per path (cellular, satellite, wired) of dual-path devices').action(
    action(async (opts: ReportOptions, cmd: Command) => {
      const { params, run } = groupedReportRequest(opts, Date.now(), loadConfig().timeZone);
      const result = await withStore(({ repos }) => buildPathReport(repos, params, run));
      const rows = [...result.rows, ...result.totals];
      printReport(cmd, opts.format, result, rows, () => (result.noData ? 'no declared path in service in the period' : tabbed(rows)));
    }),
  );
  periodReportCommand(report, 'plan-steps', 'action-plan steps skipped per alarm kind, among alarms received in the period').action(
    action(async (opts: Omit<ReportOptions, 'groupBy'>, cmd: Command) => {
      const { timeZone } = loadConfig();
      const { from, to, suppress } = periodRequest(opts, Date.now(), timeZone);
      const report = await withStore(({ repos }) => planStepsReport(repos, { from, to, timeZone }, suppress));
      const result = { report: 'plan-steps', from: new Date(from).toISOString(), to: new Date(to).toISOString(), timeZone, ...report };
      const rows = [...report.rows, report.total];
      printReport(cmd, opts.format, result, rows, () =>
        report.rows.length === 0 ? 'no alarm with an action plan in the period' : tabbed(rows),
      );
    }),
  );
  report
    .command('suitability')
    .description('is each measure worth it per municipality, state and kind: figures and a verdict (default: the last 90 days)')
    .option('--from <date>', "start of the period, a day in the centre's time zone (default: 90 days ago)")
    .option('--to <date>', 'end of the period, exclusive (default: now)')
    .option('--format <format>', 'table, json or csv (default: a table; --json implies json)')
    .option('--lang <lang>', 'language of the verdicts: es or en', 'es')
    .option('--suppress-small-groups', 'withhold small cells as analysts see them (whole months; fewer than 5 people)')
    .action(
      action(async (opts: ReportOptions & { lang: string }, cmd: Command) => {
        const now = Date.now();
        const config = loadConfig();
        const suppress = opts.suppressSmallGroups === true;
        checkFormat(opts.format);
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
        const unknown = result.unknownMunicipality.map((u) => `${u.state}: ${u.devices} device(s) with no or a doubtful municipality`);
        printReport(cmd, opts.format, result, rows, () =>
          result.noData ? 'no data in the period' : [tabbed(rows), ...unknown].join('\n'),
        );
      }),
    );
}
