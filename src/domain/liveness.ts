/**
 * Device liveness (docs/architecture.md "State machines"): `never_seen → online ⇄ late → offline`, plus
 * `disconnected` (last will; `offline` if not back within the grace), `gateway_down` (the protocol
 * gateway it is heard through stopped: not the device's silence) and `maintenance`/`retired`.
 * Pure: `(state, input, now) → { state, effects }`; the supervisor shell keeps the deadlines.
 */

export const LIVENESS_STATES = [
  'never_seen',
  'online',
  'late',
  'offline',
  'disconnected',
  'gateway_down',
  'maintenance',
  'retired',
] as const;
export type LivenessState = (typeof LIVENESS_STATES)[number];

/** The supervision window of one device: the model's values unless the device overrides them. */
export interface SupervisionWindow {
  heartbeatIntervalS: number;
  offlineAfterS: number;
  /** How long a device that left a last will has to come back before it is offline. */
  graceS: number;
}

export type DeadlineKind = 'late' | 'offline';

export interface Liveness {
  state: LivenessState;
  /** When the current state began. */
  since: number;
  lastSeenAt: number | null;
  /** Where the current supervision window starts: the last time heard, or a restart of Centinela. */
  windowFrom: number | null;
  /** The next moment the state changes by itself, if nothing is heard. */
  deadline: { kind: DeadlineKind; at: number } | null;
}

export type LivenessInput =
  /** Anything authenticated from the device: heartbeat, connect, event, alarm. */
  | { type: 'seen' }
  | { type: 'last_will' }
  /** The shell's timer reached `deadline.at`. */
  | { type: 'deadline' }
  | { type: 'maintenance_started' }
  | { type: 'maintenance_ended' }
  | { type: 'retired' }
  /** The protocol gateway the device is heard through went down, or came back. */
  | { type: 'path_down' }
  | { type: 'path_up' }
  /** Centinela itself was down: every supervised device gets a fresh window from `now`. */
  | { type: 'restarted' };

export type LivenessEffect =
  | { type: 'transition'; from: LivenessState; to: LivenessState; at: number }
  /** Went offline: an unprotected person (P3). */
  | { type: 'silent'; at: number; lastSeenAt: number | null }
  | { type: 'recovered'; at: number; silentForMs: number };

export interface LivenessStep {
  state: Liveness;
  effects: LivenessEffect[];
}

export const initialLiveness = (now: number): Liveness => ({
  state: 'never_seen',
  since: now,
  lastSeenAt: null,
  windowFrom: null,
  deadline: null,
});

/**
 * A heartbeat is overdue after one and a half intervals (one missed beat plus jitter); the device
 * is then `late`, still inside its window. Clamped below the offline threshold.
 */
export function lateAfterMs(w: SupervisionWindow): number {
  return Math.min(Math.round(w.heartbeatIntervalS * 1500), w.offlineAfterS * 1000 - 1);
}

/** Deadlines of a window that starts at `base` (the last time the device was heard, or a restart). */
function freshDeadline(state: LivenessState, base: number, w: SupervisionWindow): Liveness['deadline'] {
  if (state === 'online') return { kind: 'late', at: base + lateAfterMs(w) };
  if (state === 'late' || state === 'disconnected') return { kind: 'offline', at: base + w.offlineAfterS * 1000 };
  return null;
}

function moveTo(
  s: Liveness,
  to: LivenessState,
  now: number,
  deadline: Liveness['deadline'],
  lastSeenAt = s.lastSeenAt,
  windowFrom = s.windowFrom,
): LivenessStep {
  const effects: LivenessEffect[] = [];
  if (to !== s.state) {
    effects.push({ type: 'transition', from: s.state, to, at: now });
    if (to === 'offline') effects.push({ type: 'silent', at: now, lastSeenAt });
    if (s.state === 'offline' && to === 'online') effects.push({ type: 'recovered', at: now, silentForMs: now - s.since });
  }
  return { state: { state: to, since: to === s.state ? s.since : now, lastSeenAt, windowFrom, deadline }, effects };
}

export function stepLiveness(s: Liveness, input: LivenessInput, now: number, w: SupervisionWindow): LivenessStep {
  if (s.state === 'retired') return { state: s, effects: [] };
  switch (input.type) {
    case 'seen':
      // In maintenance the device may talk while technicians work on it: noted, state kept.
      if (s.state === 'maintenance') return { state: { ...s, lastSeenAt: now }, effects: [] };
      return moveTo(s, 'online', now, freshDeadline('online', now, w), now, now);
    case 'last_will':
      if (s.state !== 'online' && s.state !== 'late') return { state: s, effects: [] };
      return moveTo(s, 'disconnected', now, { kind: 'offline', at: now + w.graceS * 1000 });
    case 'deadline': {
      const d = s.deadline;
      if (!d || now < d.at) return { state: s, effects: [] };
      if (d.kind === 'late' && s.state === 'online') {
        const base = s.windowFrom ?? now;
        return moveTo(s, 'late', now, { kind: 'offline', at: Math.max(base + w.offlineAfterS * 1000, now) });
      }
      return moveTo(s, 'offline', now, null);
    }
    case 'maintenance_started':
      return moveTo(s, 'maintenance', now, null);
    case 'maintenance_ended':
      if (s.state !== 'maintenance') return { state: s, effects: [] };
      return backInService(s, now, w);
    case 'path_down':
      // Only a device that could still be heard: one already silent stays offline (the gateway's
      // death does not explain an earlier silence).
      if (s.state !== 'online' && s.state !== 'late' && s.state !== 'disconnected') return { state: s, effects: [] };
      return moveTo(s, 'gateway_down', now, null);
    case 'path_up':
      if (s.state !== 'gateway_down') return { state: s, effects: [] };
      return backInService(s, now, w);
    case 'retired':
      return moveTo(s, 'retired', now, null);
    case 'restarted':
      // Centinela's own downtime is not the device's fault: a fresh window, no offline storm.
      if (s.state === 'online' || s.state === 'late' || s.state === 'disconnected') {
        return { state: { ...s, windowFrom: now, deadline: freshDeadline(s.state, now, w) }, effects: [] };
      }
      // The gateways start again with Centinela; one still down says so again.
      if (s.state === 'gateway_down') return backInService(s, now, w);
      return { state: s, effects: [] };
  }
}

/** Back from maintenance or a gateway outage with a fresh window: heard recently means online, otherwise late. */
function backInService(s: Liveness, now: number, w: SupervisionWindow): LivenessStep {
  if (s.lastSeenAt === null) return moveTo(s, 'never_seen', now, null);
  if (now - s.lastSeenAt < lateAfterMs(w))
    return moveTo(s, 'online', now, freshDeadline('online', s.lastSeenAt, w), s.lastSeenAt, s.lastSeenAt);
  return moveTo(s, 'late', now, freshDeadline('late', now, w), s.lastSeenAt, now);
}
