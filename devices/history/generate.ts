import type { AlarmOutcome } from '../../src/domain/alarm.ts';
import type { HeartbeatSample } from '../../src/domain/heartbeat-sample.ts';
import type { Scenario, ScenarioDevice } from '../fleet/scenario-schema.ts';
import { modelHeartbeatIntervalS } from '../simulators/catalogue.ts';
import { createPrng, type Prng } from '../simulators/prng.ts';
import { TERRAIN_FAILURE } from '../simulators/satellite-phone.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface HistoryInterval {
  deviceId: string;
  state: 'online' | 'offline';
  startedAt: number;
  endedAt: number;
}
export interface HistoryIncident {
  deviceId: string;
  openedAt: number;
  closedAt: number;
}
export interface HistoryAlarm {
  deviceId: string;
  beneficiaryId: string;
  kind: 'panic' | 'sos' | 'test';
  test: boolean;
  raisedAt: number;
  acknowledgedAt: number | null;
  dispatchedAt: number | null;
  onSceneAt: number | null;
  resolvedAt: number;
  outcome: AlarmOutcome;
}
export interface HistoryHeartbeatDay {
  deviceId: string;
  day: number;
  received: number;
}
/** A heartbeat of the generated past: received when sent. */
export type HistorySample = Omit<HeartbeatSample, 'receivedAt'> & { deviceId: string };
export interface History {
  from: number;
  to: number;
  /** When each device entered service (installation), inside or before the year. */
  installedAt: Record<string, number>;
  intervals: HistoryInterval[];
  incidents: HistoryIncident[];
  alarms: HistoryAlarm[];
  heartbeatDays: HistoryHeartbeatDay[];
  samples: HistorySample[];
  /** One outage of the centre itself, excluded from device availability by the reports. */
  centreOutage: { startedAt: number; endedAt: number };
}

/** Offline-after windows of the catalogue, in ms (history does not read the database). */
const OFFLINE_AFTER: Record<ScenarioDevice['model'], number> = { 'panic-button': 180_000, camera: 600_000, 'satellite-phone': 14_400_000 };

/** How long help takes to reach someone, by state: the figure a panic button's worth rests on. */
const ON_SCENE_MEDIAN_MIN: Record<string, number> = { CMX: 14, VER: 26, OAX: 38, CHP: 45, GRO: 52, CHH: 33 };

/**
 * A year of plausible history for a scenario, ending at `to`: liveness intervals, offline
 * incidents, alarms with outcomes and handling times, heartbeat counts per day and a week of
 * telemetry samples. Pure and seeded: the same scenario, seed and end give the same year, so the
 * demo's reports and charts say something true about the scenario it then runs live.
 */
export function generateHistory(scenario: Scenario, seed: number | string, to: number): History {
  const from = to - 365 * DAY;
  const history: History = {
    from,
    to,
    installedAt: {},
    intervals: [],
    incidents: [],
    alarms: [],
    heartbeatDays: [],
    samples: [],
    centreOutage: centreOutage(createPrng(seed, 'centre'), from, to),
  };
  for (const b of scenario.beneficiaries) {
    for (const d of b.devices) {
      const prng = createPrng(seed, 'history', d.id);
      const installed = d.installedAt ? Date.parse(d.installedAt) : to - Math.round(prng.between(120, 420)) * DAY;
      const start = Math.max(installed, from);
      history.installedAt[d.id] = installed;
      if (start >= to) continue;
      const intervals = d.model === 'satellite-phone' ? satelliteLiveness(prng, d, start, to) : episodicLiveness(prng, d, start, to);
      history.intervals.push(...intervals);
      for (const i of intervals) {
        if (i.state === 'offline') history.incidents.push({ deviceId: d.id, openedAt: i.startedAt, closedAt: i.endedAt });
      }
      history.heartbeatDays.push(...heartbeatDays(prng, d, intervals));
      history.samples.push(...samples(prng, d, to));
      if (d.model !== 'camera') history.alarms.push(...alarms(prng, d, b.id, b.stateCode, start, to));
    }
  }
  return history;
}

function centreOutage(prng: Prng, from: number, to: number) {
  const startedAt = from + Math.round(prng.between(30, 330)) * DAY + Math.round(prng.between(0, 23)) * HOUR;
  return { startedAt, endedAt: Math.min(to, startedAt + Math.round(prng.between(20, 90)) * 60_000) };
}

/** Mains and mobile devices: long online spans broken by offline episodes (power cuts, no signal). */
function episodicLiveness(prng: Prng, d: ScenarioDevice, start: number, to: number): HistoryInterval[] {
  const fragile = d.diesAfterS !== undefined || d.disconnects !== undefined;
  const meanOnline = (d.model === 'camera' ? 12 : 28) * DAY * (fragile ? 0.3 : 1);
  const meanOffline = (d.model === 'camera' ? 7 : 3) * HOUR * (fragile ? 3 : 1);
  const out: HistoryInterval[] = [];
  let t = start;
  let online = true;
  while (t < to) {
    const span = online ? prng.exponential(meanOnline) : Math.max(OFFLINE_AFTER[d.model], prng.exponential(meanOffline));
    const end = Math.min(to, t + Math.round(span));
    out.push({ deviceId: d.id, state: online ? 'online' : 'offline', startedAt: t, endedAt: end });
    t = end;
    online = !online;
  }
  return out;
}

/** Satellite phones check in hourly; offline once the last success is older than the window. */
function satelliteLiveness(prng: Prng, d: ScenarioDevice, start: number, to: number): HistoryInterval[] {
  const failure = d.checkinFailureProbability ?? TERRAIN_FAILURE[d.terrain ?? 'open'];
  const out: HistoryInterval[] = [];
  let lastSuccess = start;
  let state: 'online' | 'offline' = 'online';
  let since = start;
  for (let t = start + HOUR; t < to; t += HOUR) {
    if (!prng.chance(failure)) {
      if (state === 'offline') {
        out.push({ deviceId: d.id, state, startedAt: since, endedAt: t });
        state = 'online';
        since = t;
      }
      lastSuccess = t;
    } else if (state === 'online' && t - lastSuccess > OFFLINE_AFTER['satellite-phone']) {
      const wentOffline = lastSuccess + OFFLINE_AFTER['satellite-phone'];
      out.push({ deviceId: d.id, state, startedAt: since, endedAt: wentOffline });
      state = 'offline';
      since = wentOffline;
    }
  }
  out.push({ deviceId: d.id, state, startedAt: since, endedAt: to });
  return out;
}

/** Heartbeats received per UTC day: the expected count while online, less a little loss. */
function heartbeatDays(prng: Prng, d: ScenarioDevice, intervals: HistoryInterval[]): HistoryHeartbeatDay[] {
  const every = modelHeartbeatIntervalS(d.model) * 1000;
  const loss = d.model === 'satellite-phone' ? 0 : prng.between(0.005, 0.03);
  const perDay = new Map<number, number>();
  for (const i of intervals) {
    if (i.state !== 'online') continue;
    for (let day = Math.floor(i.startedAt / DAY) * DAY; day < i.endedAt; day += DAY) {
      const online = Math.min(i.endedAt, day + DAY) - Math.max(i.startedAt, day);
      perDay.set(day, (perDay.get(day) ?? 0) + (online / every) * (1 - loss));
    }
  }
  return [...perDay].map(([day, n]) => ({ deviceId: d.id, day, received: Math.floor(n) }));
}

/** A week of hourly battery and signal readings, for the technician's charts. */
function samples(prng: Prng, d: ScenarioDevice, to: number): HistorySample[] {
  const out: HistorySample[] = [];
  let battery = prng.between(40, 100);
  const mains = d.model === 'camera';
  const baseRssi = d.model === 'satellite-phone' ? -105 : prng.between(-100, -65);
  for (let at = to - 7 * DAY; at < to; at += HOUR) {
    const charging = mains || (battery < 25 && prng.chance(0.5));
    battery = mains ? 100 : Math.max(0, Math.min(100, battery + (charging ? 8 : -prng.between(0.2, 0.9))));
    const rssi = Math.round(baseRssi + prng.between(-8, 8));
    out.push({
      deviceId: d.id,
      at,
      battery: Math.round(battery),
      charging,
      network: d.model === 'satellite-phone' ? 'iridium' : mains ? 'wifi' : prng.pick(['lte', 'lte', '3g']),
      rssi,
      bars: Math.max(0, Math.min(5, Math.round((rssi + 115) / 10))),
    });
  }
  return out;
}

/** Monthly test presses, and now and then a real or false alarm, handled as operators do. */
function alarms(prng: Prng, d: ScenarioDevice, beneficiaryId: string, state: string, start: number, to: number): HistoryAlarm[] {
  const out: HistoryAlarm[] = [];
  for (let t = start + 30 * DAY; t < to; t += 30 * DAY) {
    const raisedAt = t + Math.round(prng.between(9, 17)) * HOUR;
    if (raisedAt >= to || prng.chance(0.15)) continue; // some months nobody runs the test
    const passed = !prng.chance(0.08);
    out.push({
      deviceId: d.id,
      beneficiaryId,
      kind: 'test',
      test: true,
      raisedAt,
      acknowledgedAt: passed ? raisedAt + ackDelay(prng) : null,
      dispatchedAt: null,
      onSceneAt: null,
      resolvedAt: raisedAt + 10 * 60_000,
      outcome: passed ? 'test' : 'technical',
    });
  }
  for (let t = start + prng.exponential(45 * DAY); t < to; t += prng.exponential(45 * DAY)) {
    const raisedAt = Math.round(t);
    const acknowledgedAt = raisedAt + ackDelay(prng);
    const genuine = prng.chance(0.35);
    const kind = d.model === 'satellite-phone' ? 'sos' : 'panic';
    if (!genuine) {
      out.push({
        deviceId: d.id,
        beneficiaryId,
        kind,
        test: false,
        raisedAt,
        acknowledgedAt,
        dispatchedAt: null,
        onSceneAt: null,
        resolvedAt: acknowledgedAt + Math.round(prng.between(3, 15)) * 60_000,
        outcome: 'false_alarm',
      });
      continue;
    }
    const dispatchedAt = acknowledgedAt + Math.round(prng.between(40, 240)) * 1000;
    const remote = d.model === 'satellite-phone' ? 4 : 1;
    const median = (ON_SCENE_MEDIAN_MIN[state] ?? 35) * remote * 60_000;
    const reached = prng.chance(0.9);
    const onSceneAt = reached ? dispatchedAt + Math.round(median * Math.exp(prng.between(-0.6, 0.9))) : null;
    out.push({
      deviceId: d.id,
      beneficiaryId,
      kind,
      test: false,
      raisedAt,
      acknowledgedAt,
      dispatchedAt,
      onSceneAt,
      resolvedAt: (onSceneAt ?? dispatchedAt) + Math.round(prng.between(20, 120)) * 60_000,
      outcome: 'genuine',
    });
  }
  return out.filter((a) => a.resolvedAt < to);
}

/** Time to acknowledge: mostly within half a minute, with a long tail at shift changes. */
function ackDelay(prng: Prng): number {
  return Math.round(1000 * (prng.chance(0.85) ? prng.between(4, 30) : prng.between(30, 180)));
}
