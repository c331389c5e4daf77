import { z } from 'zod';
import { reportPeriod } from '../../../domain/report-period.ts';
import type { CostRow, ReliabilityRow, Report } from '../../../domain/reports.ts';
import { toCsv } from '../../../domain/reports-csv.ts';
import { SUPPRESSION_RULE } from '../../../domain/reports-suppression.ts';
import { GROUP_BYS } from '../../../domain/reports-types.ts';
import type { HealthApi, ReportParams } from '../../../health/index.ts';
import { ACCESS, seesSmallGroups } from '../../access-policy.ts';
import { roleOf } from '../../auth.ts';
import type { ApiDeps, App, RouteModule } from '../../deps.ts';
import { healthOf } from '../../health-part.ts';

/** A date (2026-06-01, the start of that day in the centre's time zone) or a full ISO-8601 date-time. */
const when = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'expected a date (2026-06-01) or an ISO-8601 date-time' });

const query = z.object({
  from: when.optional(),
  to: when.optional(),
  groupBy: z.enum(GROUP_BYS).default('kind'),
  format: z.enum(['json', 'csv']).default('json'),
});

/** What one grouped report's route says of itself and how it gets the report and its CSV lines. */
interface GroupedReport<R> {
  /** The path under /api/reports/ and the start of the CSV file's name. */
  name: string;
  summary: string;
  description: string;
  build: (health: HealthApi, params: ReportParams, suppress: boolean) => Promise<R>;
  csvRows: (report: R) => readonly object[];
}

/**
 * GET /api/reports/<name>: the period and grouping parsed the same way for every grouped report,
 * small groups withheld for the roles that must not see them, the answer as JSON or CSV.
 */
function groupedReportRoute<R>(app: App, deps: ApiDeps, spec: GroupedReport<R>): void {
  app.get(
    `/api/reports/${spec.name}`,
    {
      config: { access: ACCESS.reportReaders },
      schema: { tags: ['reports'], summary: spec.summary, description: spec.description, querystring: query },
    },
    async (req, reply) => {
      const { groupBy, format } = req.query;
      const health = healthOf(deps);
      // P6: analysts never see a group of fewer than 5 people, nor one they could difference out.
      const suppress = !seesSmallGroups(roleOf(req));
      const period = reportPeriod(req.query, deps.clock.now(), health.timeZone, { wholeMonths: suppress });
      const report = await spec.build(health, { ...period, groupBy }, suppress);
      if (format === 'json') return report;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${spec.name}-${groupBy}.csv"`)
        .send(toCsv(spec.csvRows(report) as Record<string, unknown>[]));
    },
  );
}

/** Reliability, cost-effectiveness and availability per path (docs/architecture.md "Report definitions"), as JSON or CSV. */
export const healthReportRoutes: RouteModule = (app, deps) => {
  for (const kind of ['reliability', 'cost'] as const) {
    groupedReportRoute<Report<ReliabilityRow> | Report<CostRow>>(app, deps, {
      name: kind,
      summary:
        kind === 'reliability'
          ? 'Availability, heartbeat delivery, episodes, MTTR, MTBF, alarm timings, false alarms, tests, install lead time, protection gaps'
          : 'Spend, cost per protected day, wasted spend, cost per answered alarm, billed but silent',
      description: `Computed on the centre's days (CENTINELA_TIME_ZONE); a date means 00:00 of that day there. ${SUPPRESSION_RULE} A period that is inverted or starts in the future is refused (400); a period with nothing in service answers noData: true.`,
      build: (health, params, suppress) =>
        kind === 'reliability' ? health.reliabilityReport(params, suppress) : health.costReport(params, suppress),
      csvRows: (report) => [...report.rows, report.total],
    });
  }
  groupedReportRoute(app, deps, {
    name: 'path-availability',
    summary: 'Availability per path (cellular, satellite, wired) of dual-path devices',
    description: `Issue 18: for each path a device declares, the time it was up within the time it was supervised (declared, the device in service, Centinela up), per device kind, model, Mexican state or month, and a total per path. A device counts only for the paths it has. Computed on the centre's days (CENTINELA_TIME_ZONE). Each path is a grouping of its own: ${SUPPRESSION_RULE} A period that is inverted or starts in the future is refused (400); one with no declared path in service answers noData: true.`,
    build: (health, params, suppress) => health.pathAvailabilityReport(params, suppress),
    csvRows: (report) => [...report.rows, ...report.totals],
  });
};
