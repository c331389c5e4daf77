import type { DeviceFacts } from './reports-device.ts';
import { isTestAlarm } from './reports-device.ts';
import { HOUR_MS, percentile } from './reports-spans.ts';

/** Running sums of one group. */
export interface GroupAcc {
  key: string;
  beneficiaries: Set<string>;
  devices: Set<string>;
  inServiceMs: number;
  supervisedMs: number;
  onlineMs: number;
  heartbeatsReceived: number;
  heartbeatsExpected: number;
  offlineEpisodes: number;
  offlineEpisodeMs: number;
  ackMs: number[];
  dispatchMs: number[];
  onSceneMs: number[];
  nonTestAlarms: number;
  ackedWithin30s: number;
  ackedWithin60s: number;
  dispatched: number;
  onSceneWithin30min: number;
  falseAlarms: number;
  tests: number;
  testsPassed: number;
  genuineAcknowledged: number;
  installLeadMs: number[];
  gapMs: number;
  singleDeviceBeneficiaries: Set<string>;
  spendMxn: number;
  supervisedSpendMxn: number;
  wastedMxn: number;
  silentDevices: Set<string>;
  silentSpendMxn: number;
}

export function newGroup(key: string): GroupAcc {
  return {
    key,
    beneficiaries: new Set(),
    devices: new Set(),
    inServiceMs: 0,
    supervisedMs: 0,
    onlineMs: 0,
    heartbeatsReceived: 0,
    heartbeatsExpected: 0,
    offlineEpisodes: 0,
    offlineEpisodeMs: 0,
    ackMs: [],
    dispatchMs: [],
    onSceneMs: [],
    nonTestAlarms: 0,
    ackedWithin30s: 0,
    ackedWithin60s: 0,
    dispatched: 0,
    onSceneWithin30min: 0,
    falseAlarms: 0,
    tests: 0,
    testsPassed: 0,
    genuineAcknowledged: 0,
    installLeadMs: [],
    gapMs: 0,
    singleDeviceBeneficiaries: new Set(),
    spendMxn: 0,
    supervisedSpendMxn: 0,
    wastedMxn: 0,
    silentDevices: new Set(),
    silentSpendMxn: 0,
  };
}

/**
 * Adds one unit (a device over the period, or over one month) to its group. Wasted spend is
 * spend × (1 − availability) of that unit.
 */
export function addFacts(g: GroupAcc, deviceId: string, beneficiaryId: string | null, f: DeviceFacts): void {
  if (f.inServiceMs <= 0 && f.alarms.length === 0 && f.installLeadMs === null) return;
  g.devices.add(deviceId);
  if (beneficiaryId) g.beneficiaries.add(beneficiaryId);
  g.inServiceMs += f.inServiceMs;
  g.supervisedMs += f.supervisedMs;
  g.onlineMs += f.onlineMs;
  g.heartbeatsReceived += f.heartbeatsReceived;
  g.heartbeatsExpected += f.heartbeatsExpected;
  g.offlineEpisodes += f.offlineEpisodes;
  g.offlineEpisodeMs += f.offlineEpisodeMs;
  g.spendMxn += f.spendMxn;
  g.supervisedSpendMxn += f.supervisedSpendMxn;
  const availability = f.supervisedMs > 0 ? f.onlineMs / f.supervisedMs : 1;
  g.wastedMxn += f.spendMxn * (1 - availability);
  if (f.installLeadMs !== null) g.installLeadMs.push(f.installLeadMs);
  for (const a of f.alarms) {
    if (isTestAlarm(a)) {
      g.tests += 1;
      // A test passes when it ran the whole path to an operator's acknowledgement.
      if (a.acknowledgedAt !== null) g.testsPassed += 1;
      continue;
    }
    g.nonTestAlarms += 1;
    if (a.outcome === 'false_alarm') g.falseAlarms += 1;
    if (a.acknowledgedAt !== null) {
      const ack = a.acknowledgedAt - a.receivedAt;
      g.ackMs.push(ack);
      if (ack <= 30_000) g.ackedWithin30s += 1;
      if (ack <= 60_000) g.ackedWithin60s += 1;
      if (a.outcome === 'genuine') g.genuineAcknowledged += 1;
    }
    if (a.dispatchedAt !== null) {
      g.dispatched += 1;
      g.dispatchMs.push(a.dispatchedAt - a.receivedAt);
    }
    if (a.onSceneAt !== null) {
      // Help is timed from the alarm reaching the centre, as the person lived it.
      g.onSceneMs.push(a.onSceneAt - a.receivedAt);
      if (a.dispatchedAt !== null && a.onSceneAt - a.receivedAt <= 30 * 60_000) g.onSceneWithin30min += 1;
    }
  }
}

/** Marks a device-month billed but silent (the unit must be a calendar month). */
export function addSilentMonth(g: GroupAcc, deviceId: string, f: DeviceFacts): void {
  if (!f.silent) return;
  g.silentDevices.add(deviceId);
  g.silentSpendMxn += f.spendMxn;
}

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);
const secs = (ms: number | null): number | null => (ms === null ? null : ms / 1000);
const round = (v: number | null, digits = 4): number | null => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);
const days = (ms: number) => ms / 86_400_000;

export interface ReliabilityRow {
  group: string;
  suppressed: boolean;
  beneficiaries: number | null;
  devices: number | null;
  inServiceDays: number | null;
  availability: number | null;
  heartbeatDelivery: number | null;
  offlineEpisodes: number | null;
  mttrHours: number | null;
  mtbfHours: number | null;
  ackP50S: number | null;
  ackP90S: number | null;
  dispatchP50S: number | null;
  dispatchP90S: number | null;
  onSceneP50S: number | null;
  onSceneP90S: number | null;
  shareAckedWithin30s: number | null;
  shareAckedWithin60s: number | null;
  shareOnSceneWithin30min: number | null;
  nonTestAlarms: number | null;
  falseAlarmRatio: number | null;
  testPassRatio: number | null;
  installLeadTimeDaysMean: number | null;
  installLeadTimeDaysP50: number | null;
  protectionGapHours: number | null;
  singleDeviceBeneficiaries: number | null;
}

export interface CostRow {
  group: string;
  suppressed: boolean;
  beneficiaries: number | null;
  devices: number | null;
  inServiceDays: number | null;
  spendMxn: number | null;
  availableDays: number | null;
  costPerProtectedDayMxn: number | null;
  wastedSpendMxn: number | null;
  genuineAlarmsAcknowledged: number | null;
  costPerAnsweredAlarmMxn: number | null;
  billedButSilentDevices: number | null;
  billedButSilentSpendMxn: number | null;
}

export function reliabilityRow(g: GroupAcc): ReliabilityRow {
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  return {
    group: g.key,
    suppressed: false,
    beneficiaries: g.beneficiaries.size,
    devices: g.devices.size,
    inServiceDays: round(days(g.inServiceMs)),
    availability: round(ratio(g.onlineMs, g.supervisedMs)),
    heartbeatDelivery: round(ratio(g.heartbeatsReceived, g.heartbeatsExpected)),
    offlineEpisodes: g.offlineEpisodes,
    mttrHours: round(ratio(g.offlineEpisodeMs, g.offlineEpisodes * HOUR_MS)),
    mtbfHours: round(ratio(g.onlineMs, g.offlineEpisodes * HOUR_MS)),
    ackP50S: secs(percentile(g.ackMs, 50)),
    ackP90S: secs(percentile(g.ackMs, 90)),
    dispatchP50S: secs(percentile(g.dispatchMs, 50)),
    dispatchP90S: secs(percentile(g.dispatchMs, 90)),
    onSceneP50S: secs(percentile(g.onSceneMs, 50)),
    onSceneP90S: secs(percentile(g.onSceneMs, 90)),
    shareAckedWithin30s: round(ratio(g.ackedWithin30s, g.nonTestAlarms)),
    shareAckedWithin60s: round(ratio(g.ackedWithin60s, g.nonTestAlarms)),
    shareOnSceneWithin30min: round(ratio(g.onSceneWithin30min, g.dispatched)),
    nonTestAlarms: g.nonTestAlarms,
    falseAlarmRatio: round(ratio(g.falseAlarms, g.nonTestAlarms)),
    testPassRatio: round(ratio(g.testsPassed, g.tests)),
    installLeadTimeDaysMean: round(mean(g.installLeadMs.map(days))),
    installLeadTimeDaysP50: round(percentile(g.installLeadMs.map(days), 50)),
    protectionGapHours: round(g.gapMs / HOUR_MS),
    singleDeviceBeneficiaries: g.singleDeviceBeneficiaries.size,
  };
}

export function costRow(g: GroupAcc): CostRow {
  const availableDays = days(g.onlineMs);
  return {
    group: g.key,
    suppressed: false,
    beneficiaries: g.beneficiaries.size,
    devices: g.devices.size,
    inServiceDays: round(days(g.inServiceMs)),
    spendMxn: round(g.spendMxn, 2),
    availableDays: round(availableDays),
    // Spend over supervised days only: a day the centre itself was down is nobody's protected day,
    // and charging it here made a 3-day centre outage look like dearer protection.
    costPerProtectedDayMxn: round(ratio(g.supervisedSpendMxn, availableDays), 2),
    wastedSpendMxn: round(g.wastedMxn, 2),
    genuineAlarmsAcknowledged: g.genuineAcknowledged,
    costPerAnsweredAlarmMxn: round(ratio(g.spendMxn, g.genuineAcknowledged), 2),
    billedButSilentDevices: g.silentDevices.size,
    billedButSilentSpendMxn: round(g.silentSpendMxn, 2),
  };
}
