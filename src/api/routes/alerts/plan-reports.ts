import { z } from 'zod';
import { reportPeriod } from '../../../domain/report-period.ts';
import { toCsv } from '../../../domain/reports-csv.ts';
import { SUPPRESSION_RULE } from '../../../domain/reports-suppression.ts';
import { ACCESS, seesSmallGroups } from '../../access-policy.ts';
import { alertsOf } from '../../alerts-part.ts';
import { roleOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';
import { healthOf } from '../../health-part.ts';

const when = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'expected a date (2026-06-01) or an ISO-8601 date-time' });
const row = z.object({
  kind: z.string(),
  suppressed: z.boolean(),
  alarms: z.number().nullable(),
  steps: z.number().nullable(),
  skipped: z.number().nullable(),
  skippedRatio: z.number().nullable(),
});

/** Issue 18: action-plan steps skipped per alarm kind, among alarms received in the period. */
export const planReportRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/reports/plan-steps',
    {
      config: { access: ACCESS.reportReaders },
      schema: {
        tags: ['reports'],
        summary: 'Action-plan steps skipped per alarm kind, and their total',
        description: `Counts the steps of the action plans of alarms received in the period, per alarm kind, as JSON or (format=csv) CSV. ${SUPPRESSION_RULE}`,
        querystring: z.object({ from: when.optional(), to: when.optional(), format: z.enum(['json', 'csv']).default('json') }),
        response: {
          200: z.union([
            z.object({
              from: z.string(),
              to: z.string(),
              timeZone: z.string(),
              generatedAt: z.string(),
              suppressedGroups: z.number(),
              rows: z.array(row),
              total: row,
            }),
            // format=csv: one line per kind, then the total (the other reports' CSV, src/api/routes/health/reports.ts).
            z.string(),
          ]),
        },
      },
    },
    async (req, reply) => {
      // P6: analysts never see a kind of fewer than 5 people, nor one they could difference out;
      // they get whole months of the centre, the cut the withholding is decided on.
      const suppress = !seesSmallGroups(roleOf(req));
      const { timeZone } = healthOf(deps);
      const period = reportPeriod(req.query, deps.clock.now(), timeZone, { wholeMonths: suppress });
      const report = await alertsOf(deps).plans.skippedReport({ ...period, timeZone }, suppress);
      if (req.query.format === 'csv')
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="plan-steps.csv"')
          .send(toCsv([...report.rows, report.total]));
      return {
        from: new Date(period.from).toISOString(),
        to: new Date(period.to).toISOString(),
        timeZone,
        generatedAt: new Date(deps.clock.now()).toISOString(),
        ...report,
      };
    },
  );
};
