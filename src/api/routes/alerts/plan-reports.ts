import { z } from 'zod';
import { reportPeriod } from '../../../domain/report-period.ts';
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
        summary: 'Action-plan steps skipped per alarm kind (kinds with fewer than 5 people suppressed for analysts)',
        querystring: z.object({ from: when.optional(), to: when.optional() }),
        response: { 200: z.object({ from: z.string(), to: z.string(), rows: z.array(row) }) },
      },
    },
    async (req) => {
      const period = reportPeriod(req.query, deps.clock.now(), healthOf(deps).timeZone);
      const rows = await alertsOf(deps).plans.skippedReport(period, !seesSmallGroups(roleOf(req)));
      return { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString(), rows };
    },
  );
};
