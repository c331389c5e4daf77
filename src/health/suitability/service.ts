import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { monthSlices } from '../../domain/calendar.ts';
import {
  personSuitability,
  type SuitabilityInput,
  type SuitabilityReport,
  type SuitabilityThresholds,
  suitabilityReport,
} from '../../domain/suitability.ts';
import type { Repositories } from '../../store/index.ts';

export type SuitabilitySources = Pick<Repositories, 'centreOutages' | 'healthReports'>;

export interface SuitabilityRun {
  from: number;
  to: number;
  asOf: number;
  timeZone: string;
  thresholds: SuitabilityThresholds;
}

/** Reads the period's histories chunk by chunk (alarms first between chunks) with each device's signal readings. */
async function readInputs(repos: SuitabilitySources, run: SuitabilityRun, beneficiaryId?: string): Promise<SuitabilityInput[]> {
  const { from, to, asOf, timeZone } = run;
  const months = monthSlices(from, Math.min(to, asOf), timeZone);
  const inputs: SuitabilityInput[] = [];
  let after = '';
  for (;;) {
    const histories = await repos.healthReports.deviceHistories(after, { from, to, asOf, months }, 200, beneficiaryId);
    if (histories.length === 0) break;
    after = histories.at(-1)?.device.id ?? after;
    const rssi = await repos.healthReports.rssiReadings(
      histories.map((h) => h.device.id),
      from,
      Math.min(to, asOf),
    );
    for (const h of histories) inputs.push({ ...h, rssi: rssi.get(h.device.id) ?? [] });
    await yieldToEventLoop();
  }
  return inputs;
}

/** The suitability report over a period (issue 19); analysts get small cells withheld. */
export async function buildSuitability(
  repos: SuitabilitySources,
  run: SuitabilityRun,
  suppressSmallGroups: boolean,
): Promise<SuitabilityReport> {
  const inputs = await readInputs(repos, run);
  const outages = await repos.centreOutages.list(run.from, run.to);
  return suitabilityReport(inputs, {
    period: { from: run.from, to: run.to, asOf: run.asOf, timeZone: run.timeZone },
    outages,
    thresholds: run.thresholds,
    suppressSmallGroups,
  });
}

/** One person's measures over the period (the supervisor's case view). */
export async function buildPersonSuitability(repos: SuitabilitySources, run: SuitabilityRun, beneficiaryId: string) {
  const inputs = await readInputs(repos, run, beneficiaryId);
  const outages = await repos.centreOutages.list(run.from, run.to);
  return personSuitability(inputs, {
    period: { from: run.from, to: run.to, asOf: run.asOf, timeZone: run.timeZone },
    outages,
    thresholds: run.thresholds,
  });
}
