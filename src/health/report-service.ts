import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { monthSlices } from '../domain/calendar.ts';
import { type CostRow, type ReliabilityRow, type Report, ReportBuilder, type ReportKind } from '../domain/reports.ts';
import type { GroupBy } from '../domain/reports-types.ts';
import type { Repositories } from '../store/index.ts';

/** The repositories a report reads. */
export type ReportSources = Pick<Repositories, 'centreOutages' | 'healthReports'>;

export interface ReportParams {
  from: number;
  to: number;
  groupBy: GroupBy;
}

export interface ReportRunOptions {
  asOf: number;
  /** The centre's time zone (CENTINELA_TIME_ZONE): reports run on its days and months. */
  timeZone: string;
  /** Analysts: small groups withheld (src/domain/reports-suppression.ts). */
  suppressSmallGroups: boolean;
  /** Devices read per round trip; between rounds the event loop runs (alarms first). */
  chunkSize?: number;
}

/**
 * Reads a period's history chunk by chunk of devices and feeds the pure builder. better-sqlite3
 * is synchronous, so one huge read would stall the alarm path (P1); small chunks with a yield
 * between them keep each stall short.
 */
export async function buildReport(
  repos: ReportSources,
  kind: 'reliability',
  params: ReportParams,
  options: ReportRunOptions,
): Promise<Report<ReliabilityRow>>;
export async function buildReport(
  repos: ReportSources,
  kind: 'cost',
  params: ReportParams,
  options: ReportRunOptions,
): Promise<Report<CostRow>>;
export async function buildReport(
  repos: ReportSources,
  kind: ReportKind,
  params: ReportParams,
  options: ReportRunOptions,
): Promise<Report<ReliabilityRow> | Report<CostRow>> {
  const { from, to, groupBy } = params;
  const { asOf, timeZone } = options;
  const outages = await repos.centreOutages.list(from, to);
  const builder = new ReportBuilder({
    period: { from, to, asOf, timeZone },
    groupBy,
    outages,
    suppressSmallGroups: options.suppressSmallGroups,
  });
  const months = monthSlices(from, Math.min(to, asOf), timeZone);
  const chunkSize = options.chunkSize ?? 100;
  let after = '';
  for (;;) {
    const histories = await repos.healthReports.deviceHistories(after, { from, to, asOf, months }, chunkSize);
    if (histories.length === 0) break;
    after = histories.at(-1)?.device.id ?? after;
    let computed = 0;
    for (const h of histories) {
      builder.addDevice(h);
      // The computation is synchronous too: let alarms through every few devices.
      if (++computed % 20 === 0) await yieldToEventLoop();
    }
    await yieldToEventLoop();
  }
  return kind === 'reliability' ? builder.finish('reliability') : builder.finish('cost');
}
