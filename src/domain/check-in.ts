/**
 * Check-in timers (issue 18): before going somewhere risky a person (through a contact, an
 * operator, or an SMS "VIAJE 120 destino") sets a timer; without a check-in before it runs out,
 * the centre escalates as a panic. Pure parsing and rules; no I/O.
 */
export const MIN_MINUTES = 5;
export const MAX_MINUTES = 24 * 60;
export const MAX_DESTINATION = 200;

export const CHECK_IN_STATES = ['running', 'checked_in', 'expired', 'replaced'] as const;
export type CheckInState = (typeof CHECK_IN_STATES)[number];

export interface CheckInTimer {
  id: string;
  beneficiaryId: string;
  destination: string | null;
  dueAt: number;
  state: CheckInState;
  setBy: string;
  setVia: string;
  alarmId: string | null;
  closedBy: string | null;
  closedAt: number | null;
  createdAt: number;
}

/** A running timer as the console lists it: with the alias of the person it protects. */
export interface RunningCheckIn extends CheckInTimer {
  alias: string;
}

export type CheckInCommand =
  | { type: 'set'; minutes: number; destination: string | null }
  | { type: 'check_in' }
  | { type: 'invalid'; why: 'minutes' };

const CHECK_IN_WORDS = new Set(['LLEGUE', 'YA LLEGUE', 'LLEGUE BIEN', 'ESTOY BIEN', 'ARRIVED']);

/**
 * Reads an SMS as a check-in command, or undefined when it is not one (then the other SMS
 * replies — acknowledgements by staff — get their turn). Accents and case do not matter.
 */
export function parseCheckInSms(body: string): CheckInCommand | undefined {
  const text = body
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toUpperCase()
    .replace(/^[¡!.\s]+|[.!\s]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (CHECK_IN_WORDS.has(text)) return { type: 'check_in' };
  const trip = /^VIAJE(?:\s+(\S+))?(?:\s+(.+))?$/.exec(text);
  if (!trip) return undefined;
  const minutes = Number(trip[1]);
  if (!Number.isInteger(minutes) || minutes < MIN_MINUTES || minutes > MAX_MINUTES) return { type: 'invalid', why: 'minutes' };
  // The destination keeps its original spelling (accents, case): it is read by people.
  const original = /^\s*\S+\s+\S+\s+(.+)$/s.exec(body)?.[1]?.trim();
  return { type: 'set', minutes, destination: original ? original.slice(0, MAX_DESTINATION) : null };
}

/** What a check-in does to a timer at `now`. */
export function checkInOutcome(
  timer: Pick<CheckInTimer, 'state' | 'dueAt'> | undefined,
  now: number,
): 'checked_in' | 'unknown' | 'expired' | 'closed' {
  if (!timer) return 'unknown';
  if (timer.state === 'expired' || (timer.state === 'running' && timer.dueAt <= now)) return 'expired';
  if (timer.state !== 'running') return 'closed';
  return 'checked_in';
}
