import { clip, intersect, measure, type Span, subtract } from './reports-spans.ts';
import type { DeviceHistory, ReportAlarm } from './reports-types.ts';

/**
 * Additive facts of one device over one slice of time (docs/architecture.md "Report definitions").
 * - in service: activation (installation) to retirement, minus maintenance windows.
 * - supervised: in service minus Centinela's own outages. Availability, heartbeats expected and
 *   MTBF use it: the centre's downtime is not the device's fault. Spend uses in service: the
 *   mechanism pays for those days all the same.
 * - online: `online` or `late` (a late device is still inside its supervision window), within
 *   supervised time.
 */
export interface DeviceFacts {
  inServiceMs: number;
  supervisedMs: number;
  onlineMs: number;
  heartbeatsReceived: number;
  heartbeatsExpected: number;
  offlineEpisodes: number;
  offlineEpisodeMs: number;
  alarms: ReportAlarm[];
  /** Installed within the slice after a recorded request. */
  installLeadMs: number | null;
  /** In service in the slice yet sent nothing in it (meaningful on a calendar-month slice). */
  silent: boolean;
  spendMxn: number;
  /** Spend over supervised time: what cost per protected day divides, so the centre's own downtime is not charged to it. */
  supervisedSpendMxn: number;
}

export const isTestAlarm = (a: ReportAlarm): boolean => a.test || a.kind === 'test';

/** Monthly price × 12 ÷ 365 per in-service day (docs/architecture.md). */
export const spendFor = (inServiceMs: number, monthlyCostMxn: number): number => (inServiceMs / 86_400_000) * ((monthlyCostMxn * 12) / 365);

export function inServiceSpans(h: Pick<DeviceHistory, 'device' | 'maintenance'>, from: number, to: number): Span[] {
  const { installedAt, retiredAt } = h.device;
  if (installedAt === null) return [];
  return subtract(clip([[installedAt, retiredAt ?? Number.POSITIVE_INFINITY]], from, to), h.maintenance);
}

/**
 * `periodEnd`: an offline episode is counted in the slice where it starts and measured to its end
 * (or the period's), so an outage across a month boundary is one episode of its full length.
 */
export function deviceFacts(
  h: DeviceHistory,
  slice: { from: number; to: number },
  period: { to: number; asOf: number },
  outages: readonly Span[],
): DeviceFacts {
  const { from } = slice;
  const { asOf } = period;
  const end = Math.min(slice.to, asOf);
  const periodEnd = Math.min(period.to, asOf);
  const inServiceAll = inServiceSpans(h, from, periodEnd);
  const inService = inServiceSpans(h, from, end);
  const supervised = subtract(inService, outages);
  const inServiceMs = measure(inService);
  const supervisedMs = measure(supervised);
  const spansOf = (states: string[]): Span[] =>
    h.intervals.filter((i) => states.includes(i.state)).map((i) => [i.start, i.end ?? asOf] as const);
  const onlineMs = measure(intersect(spansOf(['online', 'late']), supervised));

  let offlineEpisodes = 0;
  let offlineEpisodeMs = 0;
  for (const i of h.intervals) {
    if (i.state !== 'offline' || i.start < from || i.start >= end) continue;
    if (measure(intersect([[i.start, i.start + 1]], inService)) === 0) continue;
    offlineEpisodes += 1;
    offlineEpisodeMs += measure(intersect([[i.start, Math.min(i.end ?? asOf, periodEnd)]], subtract(inServiceAll, outages)));
  }

  const heartbeatsReceived = h.heartbeatDays.filter((d) => d.day >= from && d.day < end).reduce((s, d) => s + d.received, 0);
  const heartbeatsExpected = supervisedMs / (h.device.heartbeatIntervalS * 1000);
  const { installedAt, requestedAt } = h.device;
  const installLeadMs =
    installedAt !== null && requestedAt !== null && installedAt >= from && installedAt < end ? installedAt - requestedAt : null;
  return {
    inServiceMs,
    supervisedMs,
    onlineMs,
    heartbeatsReceived,
    heartbeatsExpected,
    offlineEpisodes,
    offlineEpisodeMs,
    alarms: h.alarms.filter((a) => a.receivedAt >= from && a.receivedAt < end),
    installLeadMs,
    silent: inServiceMs > 0 && heartbeatsReceived === 0 && onlineMs === 0,
    spendMxn: spendFor(inServiceMs, h.device.monthlyCostMxn),
    supervisedSpendMxn: spendFor(supervisedMs, h.device.monthlyCostMxn),
  };
}

/** Sums slices of one device (months) into the device's figures over the whole period. */
export function sumFacts(parts: DeviceFacts[]): DeviceFacts {
  const total: DeviceFacts = {
    inServiceMs: 0,
    supervisedMs: 0,
    onlineMs: 0,
    heartbeatsReceived: 0,
    heartbeatsExpected: 0,
    offlineEpisodes: 0,
    offlineEpisodeMs: 0,
    alarms: [],
    installLeadMs: null,
    silent: false,
    spendMxn: 0,
    supervisedSpendMxn: 0,
  };
  for (const p of parts) {
    total.inServiceMs += p.inServiceMs;
    total.supervisedMs += p.supervisedMs;
    total.onlineMs += p.onlineMs;
    total.heartbeatsReceived += p.heartbeatsReceived;
    total.heartbeatsExpected += p.heartbeatsExpected;
    total.offlineEpisodes += p.offlineEpisodes;
    total.offlineEpisodeMs += p.offlineEpisodeMs;
    total.alarms.push(...p.alarms);
    total.installLeadMs ??= p.installLeadMs;
    total.spendMxn += p.spendMxn;
    total.supervisedSpendMxn += p.supervisedSpendMxn;
  }
  return total;
}
