import type { HeartbeatSample } from './heartbeat-sample.ts';

/**
 * What a technician needs to know about a failing device, computed from health's telemetry
 * summary. Pure: everything, time included, is passed in.
 */

export interface DiagnosisInput {
  now: number;
  kind: string;
  heartbeatIntervalS: number;
  liveness: { state: string; since: number; lastSeenAt: number | null } | null;
  /** Oldest first. */
  samples: HeartbeatSample[];
  /** Heartbeats received and expected over the look-back (default seven days). */
  heartbeats: { received: number; expected: number; clockSuspect: number };
  reboots: number[];
  /** null when the ingest errors are not known (not recorded yet). */
  ingestErrors: { at: number; reason: string }[] | null;
}

export type SignalQuality = 'good' | 'fair' | 'poor' | 'very_poor' | 'none' | 'unknown';

export interface Diagnosis {
  state: string | null;
  silentForMs: number | null;
  battery: { level: number; charging: boolean; drainPctPerDay: number | null; projectedEmptyAt: string | null } | null;
  signal: { network: string; rssi: number | null; bars: number | null; quality: SignalQuality } | null;
  heartbeatDelivery: { received: number; expected: number; ratio: number | null };
  reboots: { last24h: number; loop: boolean };
  clock: { suspectHeartbeats: number; suspect: boolean };
  ingestErrors: { last24h: number; recent: { at: string; reason: string }[] } | null;
  satellite: { checkInsReceived: number; checkInsExpected: number; successRatio: number | null; medianDelayS: number | null } | null;
  /** The finding in English (logs, API); the console writes it in its own language from the facts and `verdict`. */
  finding: string;
  /** Issue 14 §8: the verdict as a code, so the console can say it in the operator's language. */
  verdict: DiagnosisVerdict | null;
}

export type DiagnosisVerdict = 'probably_flat' | 'out_of_coverage' | 'reboot_loop' | 'connection_dropped' | 'cause_unknown' | 'clock_wrong';
const VERDICT_TEXT: Record<DiagnosisVerdict, string> = {
  probably_flat: 'probably flat',
  out_of_coverage: 'probably out of coverage',
  reboot_loop: 'rebooting in a loop: check power and firmware',
  connection_dropped: 'connection dropped: check power and network',
  cause_unknown: 'cause unknown: visit the device',
  clock_wrong: 'device clock wrong: check its time source',
};

const HOUR = 3_600_000;
const DAY = 86_400_000;

export function signalQuality(rssi: number | null, bars: number | null, network: string): SignalQuality {
  if (network === 'none') return 'none';
  if (rssi !== null) return rssi >= -85 ? 'good' : rssi >= -100 ? 'fair' : rssi >= -110 ? 'poor' : 'very_poor';
  if (bars !== null) return bars >= 4 ? 'good' : bars === 3 ? 'fair' : bars >= 1 ? 'poor' : 'none';
  return 'unknown';
}

/** Least-squares slope of battery over the samples since the last charge, in % per day (positive = falling). */
export function batteryDrain(samples: HeartbeatSample[]): number | null {
  let start = 0;
  samples.forEach((s, i) => {
    if (s.charging) start = i + 1;
  });
  const run = samples.slice(start);
  if (run.length < 2) return null;
  const first = run[0] as HeartbeatSample;
  const last = run.at(-1) as HeartbeatSample;
  if (last.receivedAt - first.receivedAt < HOUR) return null;
  const xs = run.map((s) => (s.receivedAt - first.receivedAt) / DAY);
  const ys = run.map((s) => s.battery);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    den += ((xs[i] as number) - mx) ** 2;
  }
  if (den === 0) return null;
  return Math.max(0, -num / den);
}

/** Three reboots within an hour is a loop, not a restart. */
export function rebootLoop(reboots: number[]): boolean {
  const sorted = [...reboots].sort((a, b) => a - b);
  for (let i = 2; i < sorted.length; i++) if ((sorted[i] as number) - (sorted[i - 2] as number) <= HOUR) return true;
  return false;
}

export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  return `${m} min`;
}

const SILENT_STATES = new Set(['late', 'offline', 'disconnected']);
const minus = (n: number) => (n < 0 ? `−${Math.abs(n)}` : String(n));
const SATELLITE = new Set(['iridium', 'inmarsat', 'globalstar', 'satellite']);

export function diagnose(input: DiagnosisInput): Diagnosis {
  const { now, liveness, samples } = input;
  const latest = samples.at(-1) ?? null;
  const silentForMs = liveness && SILENT_STATES.has(liveness.state) && liveness.lastSeenAt !== null ? now - liveness.lastSeenAt : null;
  const drain = batteryDrain(samples.filter((s) => s.receivedAt >= now - 3 * DAY));
  const battery = latest
    ? {
        level: latest.battery,
        charging: latest.charging,
        drainPctPerDay: drain === null ? null : Math.round(drain * 10) / 10,
        projectedEmptyAt:
          drain && drain > 0 && !latest.charging ? new Date(latest.receivedAt + (latest.battery / drain) * DAY).toISOString() : null,
      }
    : null;
  const signal = latest
    ? { network: latest.network, rssi: latest.rssi, bars: latest.bars, quality: signalQuality(latest.rssi, latest.bars, latest.network) }
    : null;
  const { received, expected, clockSuspect } = input.heartbeats;
  const ratio = expected > 0 ? Math.round(Math.min(1, received / expected) * 1000) / 1000 : null;
  const recentReboots = input.reboots.filter((t) => t >= now - DAY);
  const loop = rebootLoop(recentReboots);
  const satellite =
    input.kind === 'satellite_phone' || (latest && SATELLITE.has(latest.network))
      ? {
          checkInsReceived: received,
          checkInsExpected: Math.round(expected),
          successRatio: ratio,
          medianDelayS: median(samples.map((s) => (s.receivedAt - s.at) / 1000)),
        }
      : null;
  const ingestErrors = input.ingestErrors
    ? {
        last24h: input.ingestErrors.filter((e) => e.at >= now - DAY).length,
        recent: input.ingestErrors.slice(-5).map((e) => ({ at: new Date(e.at).toISOString(), reason: e.reason })),
      }
    : null;

  const parts: string[] = [];
  if (!liveness || liveness.state === 'never_seen') parts.push('never heard from');
  else if (silentForMs !== null)
    parts.push(`${liveness.state === 'disconnected' ? 'disconnected (last will), ' : ''}silent ${formatDuration(silentForMs)}`);
  else parts.push(liveness.state);
  if (signal)
    parts.push(
      `last signal ${signal.rssi !== null ? `${minus(signal.rssi)} dBm` : `${signal.bars ?? '?'} bars`} (${signal.quality.replace('_', ' ')})`,
    );
  if (battery) {
    parts.push(
      battery.charging
        ? `battery ${battery.level} % charging`
        : `battery ${battery.level} %${battery.drainPctPerDay ? ` falling ${battery.drainPctPerDay} %/day` : ''}`,
    );
  }
  if (loop) parts.push(`${recentReboots.length} reboots in 24 h`);
  if (clockSuspect > 0) parts.push(`clock suspect on ${clockSuspect} heartbeats`);
  if (ratio !== null && ratio < 0.9) parts.push(`${Math.round(ratio * 100)} % of heartbeats delivered`);

  // A silent device that was low and falling most likely ran out, whatever its signal.
  const flat =
    battery &&
    !battery.charging &&
    (battery.level <= 5 ||
      (battery.level <= 15 && (battery.drainPctPerDay ?? 0) > 0) ||
      (battery.projectedEmptyAt !== null && Date.parse(battery.projectedEmptyAt) <= now));
  let verdict: DiagnosisVerdict | null = null;
  if (silentForMs !== null && flat) verdict = 'probably_flat';
  else if (silentForMs !== null && signal && (signal.quality === 'poor' || signal.quality === 'very_poor' || signal.quality === 'none'))
    verdict = 'out_of_coverage';
  else if (loop) verdict = 'reboot_loop';
  else if (silentForMs !== null && liveness?.state === 'disconnected') verdict = 'connection_dropped';
  else if (silentForMs !== null) verdict = 'cause_unknown';
  else if (clockSuspect > 0) verdict = 'clock_wrong';
  const finding = `${parts.join('; ')}${verdict ? ` → ${VERDICT_TEXT[verdict]}` : ''}`;

  return {
    state: liveness?.state ?? null,
    silentForMs,
    battery,
    signal,
    heartbeatDelivery: { received, expected: Math.round(expected), ratio },
    reboots: { last24h: recentReboots.length, loop },
    clock: { suspectHeartbeats: clockSuspect, suspect: clockSuspect > 0 },
    ingestErrors,
    satellite,
    finding,
    verdict,
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
