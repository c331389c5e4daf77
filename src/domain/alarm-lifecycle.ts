import type { AlarmOutcome, AlarmState } from './alarm.ts';

export type LifecycleInput =
  | { type: 'acknowledge' }
  | { type: 'dispatch' }
  | { type: 'on_scene' }
  | { type: 'resolve'; outcome: AlarmOutcome };

export type LifecycleEffect =
  | { type: 'stop_paging' }
  | { type: 'page_responder' }
  | { type: 'open_case_review' }
  | { type: 'downlink'; state: 'acknowledged' | 'dispatched' | 'resolved' };

export type LifecycleResult =
  | { ok: true; to: AlarmState; alsoAcknowledged: boolean; effects: LifecycleEffect[] }
  | { ok: false; reason: string };

const FROM: Record<LifecycleInput['type'], AlarmState[]> = {
  acknowledge: ['open'],
  // Dispatching an alarm nobody acknowledged yet is also taking charge of it.
  dispatch: ['open', 'acknowledged'],
  on_scene: ['acknowledged', 'dispatched'],
  // An alarm may be resolved from any earlier state (help may never come).
  resolve: ['open', 'acknowledged', 'dispatched', 'on_scene'],
};

const TO: Record<LifecycleInput['type'], AlarmState> = {
  acknowledge: 'acknowledged',
  dispatch: 'dispatched',
  on_scene: 'on_scene',
  resolve: 'resolved',
};

/**
 * The alarm state machine `open → acknowledged → dispatched → on_scene → resolved` (docs/architecture.md).
 * Pure: the shell applies the transition with a conditional UPDATE on the `from` state, so two
 * operators acting at once cannot both win.
 */
export function transition(state: AlarmState, input: LifecycleInput, alarm: { test: boolean }): LifecycleResult {
  if (!FROM[input.type].includes(state)) {
    return { ok: false, reason: `cannot ${input.type.replace('_', ' ')} an alarm that is ${state.replace('_', ' ')}` };
  }
  const to = TO[input.type];
  const effects: LifecycleEffect[] = [];
  const alsoAcknowledged = state === 'open';
  if (alsoAcknowledged) effects.push({ type: 'stop_paging' });
  if (input.type === 'dispatch') effects.push({ type: 'page_responder' });
  if (input.type === 'resolve') {
    effects.push({ type: 'stop_paging' });
    // P5: an attack under protection reopens the case.
    if (input.outcome === 'genuine' && !alarm.test) effects.push({ type: 'open_case_review' });
  }
  if (to !== 'on_scene') effects.push({ type: 'downlink', state: to as 'acknowledged' | 'dispatched' | 'resolved' });
  return { ok: true, to, alsoAcknowledged, effects: dedupe(effects) };
}

function dedupe(effects: LifecycleEffect[]): LifecycleEffect[] {
  const seen = new Set<string>();
  return effects.filter((e) => {
    const key = JSON.stringify(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** docs/architecture.md, "The alarm's path": silence, tamper or power loss this soon after an alarm may be a seizure. */
export const SEIZURE_WINDOW_MS = 15 * 60 * 1000;

export function isPossibleSeizure(alarmReceivedAt: number, eventAt: number): boolean {
  return eventAt >= alarmReceivedAt && eventAt - alarmReceivedAt <= SEIZURE_WINDOW_MS;
}

/** Words that acknowledge an alarm in an SMS reply from a registered operator or supervisor phone. */
export function isAckReply(body: string): boolean {
  const word = body
    .trim()
    .toUpperCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
  return ['1', 'OK', 'SI'].includes(word);
}
