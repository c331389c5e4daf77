import { z } from 'zod';

export const ALARM_KINDS = ['panic', 'duress', 'sos', 'intrusion', 'tamper', 'motion', 'fall', 'test'] as const;
/** `unknown`: an authenticated device's alarm whose payload could not be read (P2). */
export const alarmKindSchema = z.enum([...ALARM_KINDS, 'unknown']);
export type AlarmKind = z.infer<typeof alarmKindSchema>;

/**
 * Not a press: the operator task to check on a person whose device fell silent (P3). It runs
 * through the alarm lifecycle and escalation, but reliability figures leave it out.
 */
export const DEVICE_OFFLINE_TASK = 'device_offline';

export const ALARM_STATES = ['open', 'acknowledged', 'dispatched', 'on_scene', 'resolved'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

export const ALARM_OUTCOMES = ['genuine', 'false_alarm', 'test', 'technical'] as const;
export type AlarmOutcome = (typeof ALARM_OUTCOMES)[number];

/** `critical` is reserved for a possible seizure of the person (docs/architecture.md "State machines"). */
export const SEVERITIES = ['low', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Severity an alarm opens with; anything that may be a person in danger is high (P2). */
export function initialSeverity(kind: AlarmKind, test: boolean): Severity {
  if (test || kind === 'test' || kind === 'motion') return 'low';
  return 'high';
}

/**
 * Issue 15: a press a person makes (panic, duress, SOS) on a device that is on test may be real —
 * the person may be in danger while a technician tests the button. It still runs as a test, but
 * operators are shown that it may be real rather than have it swallowed as a test.
 */
export const PERSON_RAISED_KINDS: readonly string[] = ['panic', 'duress', 'sos'];
export const mayBeRealDuringTest = (kind: string, test: boolean): boolean => test && PERSON_RAISED_KINDS.includes(kind);
