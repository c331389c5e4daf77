import { type PathAvailabilityReport, PathReportBuilder } from '../domain/reports-paths.ts';
import type { Repositories } from '../store/index.ts';
import { builderOptions, feedInChunks, type ReportParams, type ReportRunOptions } from './report-service.ts';

/** The repositories the path-availability report reads. */
export type PathReportSources = Pick<Repositories, 'centreOutages' | 'pathReports'>;

/**
 * Availability per path of dual-path devices (issue 18 §5), read chunk by chunk of devices the way
 * the reliability report is (alarms let through between chunks and every few devices, P1), on its
 * definitions.
 */
export async function buildPathReport(
  repos: PathReportSources,
  params: ReportParams,
  options: ReportRunOptions,
): Promise<PathAvailabilityReport> {
  const { from, to } = params;
  const builder = new PathReportBuilder(await builderOptions(repos, params, options));
  const chunkSize = options.chunkSize ?? 100;
  await feedInChunks(
    (after) => repos.pathReports.pathHistories(after, { from, to }, chunkSize),
    (h) => builder.addDevice(h),
  );
  return builder.finish();
}
