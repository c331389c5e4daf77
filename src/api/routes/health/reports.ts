import { z } from 'zod';
import { reportPeriod } from '../../../domain/report-period.ts';
import { toCsv } from '../../../domain/reports-csv.ts';
import { SUPPRESSION_RULE } from '../../../domain/reports-suppression.ts';
import { GROUP_BYS } from '../../../domain/reports-types.ts';
import { ACCESS, seesSmallGroups } from '../../access-policy.ts';
import { roleOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';
import { healthOf } from '../../health-part.ts';

/** A date (2026-06-01, the start of that day in the centre's time zone) or a full ISO-8601 date-time. */
const when = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'expected a date (2026-06-01) or an ISO-8601 date-time' });

const query = z.object({
  from: when.optional(),
  to: when.optional(),
  groupBy: z.enum(GROUP_BYS).default('kind'),
  format: z.enum(['json', 'csv']).default('json'),
});

/** Reliability, cost-effectiveness and availability per path (docs/architecture.md "Report definitions"), as JSON or CSV. */
export const healthReportRoutes: RouteModule = (app, deps) => {
  for (const kind of ['reliability', 'cost'] as const) {
    app.get(
      `/api/reports/${kind}`,
      {
        config: { access: ACCESS.reportReaders },
        schema: {
          tags: ['reports'],
          summary:
            kind === 'reliability'
              ? 'Availability, heartbeat delivery, episodes, MTTR, MTBF, alarm timings, false alarms, tests, install lead time, protection gaps'
              : 'Spend, cost per protected day, wasted spend, cost per answered alarm, billed but silent',
          description: `Computed on the centre's days (CENTINELA_TIME_ZONE); a date means 00:00 of that day there. ${SUPPRESSION_RULE} A period that is inverted or starts in the future is refused (400); a period with nothing in service answers noData: true.`,
          querystring: query,
        },
      },
      async (req, reply) => {
        const { groupBy, format } = req.query;
        const health = healthOf(deps);
        // P6: analysts never see a group of fewer than 5 people, nor one they could difference out.
        const suppress = !seesSmallGroups(roleOf(req));
        const period = reportPeriod(req.query, deps.clock.now(), health.timeZone, { wholeMonths: suppress });
        const report =
          kind === 'reliability'
            ? await health.reliabilityReport({ ...period, groupBy }, suppress)
            : await health.costReport({ ...period, groupBy }, suppress);
        if (format === 'json') return report;
        const rows = [...report.rows, report.total] as unknown as Record<string, unknown>[];
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${kind}-${groupBy}.csv"`)
          .send(toCsv(rows));
      },
    );
  }

  app.get(
    '/api/reports/path-availability',
    {
      config: { access: ACCESS.reportReaders },
      schema: {
        tags: ['reports'],
        summary: 'Availability per path (cellular, satellite, wired) of dual-path devices',
        description: `Issue 18: for each path a device declares, the time it was up within the time it was supervised (declared, the device in service, Centinela up), per device kind, model, Mexican state or month, and a total per path. A device counts only for the paths it has. Computed on the centre's days (CENTINELA_TIME_ZONE). Each path is a grouping of its own: ${SUPPRESSION_RULE} A period that is inverted or starts in the future is refused (400); one with no declared path in service answers noData: true.`,
        querystring: query,
      },
    },
    async (req, reply) => {
      const { groupBy, format } = req.query;
      const health = healthOf(deps);
      // P6: analysts never see a group of fewer than 5 people, nor one they could difference out.
      const suppress = !seesSmallGroups(roleOf(req));
      const period = reportPeriod(req.query, deps.clock.now(), health.timeZone, { wholeMonths: suppress });
      const report = await health.pathAvailabilityReport({ ...period, groupBy }, suppress);
      if (format === 'json') return report;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="path-availability-${groupBy}.csv"`)
        .send(toCsv([...report.rows, ...report.totals] as unknown as Record<string, unknown>[]));
    },
  );
};
