import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type PathAvailabilityReport, PathReportBuilder } from '../domain/reports-paths.ts';
import type { Repositories } from '../store/index.ts';
import type { ReportParams, ReportRunOptions } from './report-service.ts';

/** The repositories the path-availability report reads. */
export type PathReportSources = Pick<Repositories, 'centreOutages' | 'pathReports'>;

/**
 * Availability per path of dual-path devices (issue 18 §5), read chunk by chunk of devices with a
 * yield between chunks (alarms first, P1), on the reliability report's definitions.
 */
export async function buildPathReport(
  repos: PathReportSources,
  params: ReportParams,
  options: ReportRunOptions,
): Promise<PathAvailabilityReport> {
  const { from, to, groupBy } = params;
  const outages = await repos.centreOutages.list(from, to);
  const builder = new PathReportBuilder({
    period: { from, to, asOf: options.asOf, timeZone: options.timeZone },
    groupBy,
    outages,
    suppressSmallGroups: options.suppressSmallGroups,
  });
  const chunkSize = options.chunkSize ?? 100;
  let after = '';
  for (;;) {
    const histories = await repos.pathReports.pathHistories(after, { from, to }, chunkSize);
    if (histories.length === 0) break;
    after = histories.at(-1)?.device.id ?? after;
    for (const h of histories) builder.addDevice(h);
    await yieldToEventLoop();
  }
  return builder.finish();
}
