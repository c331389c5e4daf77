import type { LivenessState } from './liveness.ts';
import type { Span } from './reports-spans.ts';

/** What reports know of a device: registry facts and the model's price and window. */
export interface ReportDevice {
  id: string;
  kind: string;
  modelId: string;
  stateCode: string;
  /** The person's municipality as registered (free text; suitability groups by it). */
  municipality?: string | null;
  beneficiaryId: string | null;
  monthlyCostMxn: number;
  heartbeatIntervalS: number;
  alarmCapable: boolean;
  requestedAt: number | null;
  installedAt: number | null;
  retiredAt: number | null;
}

export interface StateInterval {
  state: LivenessState;
  start: number;
  /** null while the device is still in that state. */
  end: number | null;
}

export interface ReportAlarm {
  kind: string;
  test: boolean;
  outcome: string | null;
  receivedAt: number;
  acknowledgedAt: number | null;
  dispatchedAt: number | null;
  onSceneAt: number | null;
}

/** Everything about one device a report reads, already limited to the report's period. */
export interface DeviceHistory {
  device: ReportDevice;
  intervals: StateInterval[];
  maintenance: Span[];
  /**
   * Heartbeats received, as counts placed at an instant (`day`): a report slice counts those
   * placed inside it. The store sums them per slice, a day split by a slice edge shared pro rata.
   */
  heartbeatDays: { day: number; received: number }[];
  alarms: ReportAlarm[];
}

export const GROUP_BYS = ['kind', 'model', 'state', 'month'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** The group a device falls in for one month of the centre (`month` is that month's key). */
export const groupKey = (d: ReportDevice, groupBy: GroupBy, month: string): string =>
  groupBy === 'kind' ? d.kind : groupBy === 'model' ? d.modelId : groupBy === 'state' ? d.stateCode : month;

/** What a grouped report (reliability, cost, availability per path) says of itself besides its rows. */
export interface GroupedReportHeading {
  from: string;
  to: string;
  groupBy: GroupBy;
  generatedAt: string;
  /** The centre's time zone the months and dates are cut in. */
  timeZone: string;
  /** How many rows were withheld (src/domain/reports-suppression.ts); a withheld total says so itself. */
  suppressedGroups: number;
  /** Nothing the report counts was in service in the period: figures are empty, not withheld. */
  noData: boolean;
}

export interface ReportPeriod {
  from: number;
  to: number;
  /** When the report is computed: open intervals end here. */
  asOf: number;
  /** The centre's time zone: months are its calendar months (src/domain/calendar.ts). */
  timeZone: string;
}
