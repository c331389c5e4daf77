/**
 * Alarm timings from the simulators' own events: the first PUBLISH of each press (start), its
 * PUBACK, and — for Centinela — the first SMS request the local Twilio recorder receives for the
 * pressing device's contact after that publish (end).
 */
import type { SimEvent } from '../devices/simulators/types.ts';
import type { RecordedRequest } from '../test/fixtures/twilio-recorder.ts';

/** A press this soon after the same device's previous one joins that alarm (the operator bot resolves at 45 s). */
const REPEAT_WINDOW_MS = 60_000;

interface Press {
  deviceId: string;
  kind: string;
  pressedAt: number;
  /** Wall-clock ms of the first PUBLISH (attempt 1), on the simulator's side. */
  sentAt?: number;
  pubackAt?: number;
}

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarise(xs: readonly number[]): Summary | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
  return { n: s.length, p50: at(50), p99: at(99), max: s[s.length - 1] as number };
}

export class AlarmTracker {
  private readonly presses = new Map<string, Press>();

  /** Feed it every forwarded simulator event. */
  onEvent = (e: SimEvent): void => {
    if (e.type === 'alarm_pressed')
      this.presses.set(`${e.deviceId}/${e.payload.id}`, { deviceId: e.deviceId, kind: e.payload.kind, pressedAt: e.at });
    else if (e.type === 'alarm_sent' && e.attempt === 1) {
      const p = this.presses.get(`${e.deviceId}/${e.alarmId}`);
      if (p) p.sentAt = e.at;
    } else if (e.type === 'alarm_puback') {
      const p = this.presses.get(`${e.deviceId}/${e.alarmId}`);
      if (p && p.pubackAt === undefined) p.pubackAt = e.at;
    }
  };

  private within(from: number, to: number): Press[] {
    return [...this.presses.values()].filter((p) => p.sentAt !== undefined && p.sentAt >= from && p.sentAt < to);
  }

  /** Publish → PUBACK for presses first sent in [from, to); presses never acknowledged are counted apart. */
  puback(from: number, to: number): { latency: Summary | undefined; sent: number; unacked: number } {
    const ps = this.within(from, to);
    const acked = ps.filter((p) => p.pubackAt !== undefined);
    return {
      latency: summarise(acked.map((p) => (p.pubackAt as number) - (p.sentAt as number))),
      sent: ps.length,
      unacked: ps.length - acked.length,
    };
  }

  /**
   * Publish → first SMS for non-test presses first sent in [from, to) (test alarms page no
   * contact, by design). `sms` are the recorder's requests; a press with no SMS is counted apart.
   */
  firstSms(
    from: number,
    to: number,
    sms: readonly RecordedRequest[],
    deviceOfPhone: ReadonlyMap<string, string>,
  ): { latency: Summary | undefined; alarms: number; withoutSms: number; tests: number; repeats: number } {
    const byDevice = new Map<string, number[]>();
    for (const r of sms) {
      if (r.kind !== 'sms') continue;
      const device = deviceOfPhone.get(r.form.To ?? '');
      if (device) byDevice.set(device, [...(byDevice.get(device) ?? []), r.at]);
    }
    const ps = this.within(from, to);
    const pressesOf = new Map<string, number[]>();
    for (const p of this.presses.values()) pressesOf.set(p.deviceId, [...(pressesOf.get(p.deviceId) ?? []), p.pressedAt]);
    // A repeat press joins the alarm already open (docs/architecture.md): counted, but it pages no one again.
    const repeat = (p: Press) => (pressesOf.get(p.deviceId) ?? []).some((t) => t < p.pressedAt && p.pressedAt - t < REPEAT_WINDOW_MS);
    const real = ps.filter((p) => p.kind !== 'test' && !repeat(p));
    const latencies: number[] = [];
    for (const p of real) {
      const first = (byDevice.get(p.deviceId) ?? []).filter((at) => at >= (p.sentAt as number)).sort((a, b) => a - b)[0];
      if (first !== undefined) latencies.push(first - (p.sentAt as number));
    }
    const tests = ps.filter((p) => p.kind === 'test').length;
    return {
      latency: summarise(latencies),
      alarms: real.length,
      withoutSms: real.length - latencies.length,
      tests,
      repeats: ps.length - tests - real.length,
    };
  }
}
