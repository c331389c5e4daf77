import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { monthSlices } from '../domain/calendar.ts';
import { type CostRow, type ReliabilityRow, type Report, ReportBuilder, type ReportKind } from '../domain/reports.ts';
import type { Span } from '../domain/reports-spans.ts';
import type { GroupBy, ReportPeriod } from '../domain/reports-types.ts';
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
  const { from, to } = params;
  const { asOf, timeZone } = options;
  const builder = new ReportBuilder(await builderOptions(repos, params, options));
  const months = monthSlices(from, Math.min(to, asOf), timeZone);
  const chunkSize = options.chunkSize ?? 100;
  await feedInChunks(
    (after) => repos.healthReports.deviceHistories(after, { from, to, asOf, months }, chunkSize),
    (h) => builder.addDevice(h),
  );
  return kind === 'reliability' ? builder.finish('reliability') : builder.finish('cost');
}

/** What a report's builder is given: the period as of now, the grouping, the centre's outages in it, suppression. */
export async function builderOptions(
  repos: Pick<Repositories, 'centreOutages'>,
  params: ReportParams,
  options: ReportRunOptions,
): Promise<{ period: ReportPeriod; groupBy: GroupBy; outages: Span[]; suppressSmallGroups: boolean }> {
  const { from, to, groupBy } = params;
  return {
    period: { from, to, asOf: options.asOf, timeZone: options.timeZone },
    groupBy,
    outages: await repos.centreOutages.list(from, to),
    suppressSmallGroups: options.suppressSmallGroups,
  };
}

/**
 * Hands each device `read` returns, chunk after chunk in id order, to `add`. The computation is
 * synchronous like the reads, so alarms are let through every few devices and between chunks.
 */
export async function feedInChunks<H extends { device: { id: string } }>(
  read: (after: string) => Promise<H[]>,
  add: (history: H) => void,
): Promise<void> {
  let after = '';
  for (;;) {
    const histories = await read(after);
    if (histories.length === 0) return;
    after = histories.at(-1)?.device.id ?? after;
    let computed = 0;
    for (const h of histories) {
      add(h);
      if (++computed % 20 === 0) await yieldToEventLoop();
    }
    await yieldToEventLoop();
  }
}
