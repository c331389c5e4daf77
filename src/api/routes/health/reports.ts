import { z } from 'zod';
import { CentinelaError } from '../../../domain/errors.ts';
import { toCsv } from '../../../domain/reports-csv.ts';
import { GROUP_BYS } from '../../../domain/reports-types.ts';
import { ACCESS, seesSmallGroups } from '../../access-policy.ts';
import { roleOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';
import { healthOf } from '../../health-part.ts';

/** A date (2026-06-01, taken as 00:00 UTC) or a full ISO-8601 date-time. */
const when = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'expected a date (2026-06-01) or an ISO-8601 date-time' });

const query = z.object({
  from: when.optional(),
  to: when.optional(),
  groupBy: z.enum(GROUP_BYS).default('kind'),
  format: z.enum(['json', 'csv']).default('json'),
});

export function reportPeriod(q: { from?: string | undefined; to?: string | undefined }, now: number): { from: number; to: number } {
  const d = new Date(now);
  const from = q.from ? Date.parse(q.from) : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const to = q.to ? Date.parse(q.to) : now;
  if (!(to > from)) throw new CentinelaError('CENTINELA_ERR_VALIDATION', 'query.to must be after query.from', { field: 'to' });
  if (to - from > 3 * 366 * 86_400_000)
    throw new CentinelaError('CENTINELA_ERR_VALIDATION', 'a report covers at most three years', { field: 'from' });
  return { from, to };
}

/** Reliability and cost-effectiveness (docs/architecture.md "Report definitions"), as JSON or CSV. */
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
          querystring: query,
        },
      },
      async (req, reply) => {
        const { groupBy, format } = req.query;
        const period = reportPeriod(req.query, deps.clock.now());
        // P6: analysts never see a group of fewer than 5 beneficiaries.
        const suppress = !seesSmallGroups(roleOf(req));
        const health = healthOf(deps);
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
};
