/**
 * Duress (issue 18): a person forced to cancel an alarm, or to answer the centre's call, gives the
 * duress answer or presses the duress code. Whoever holds the device must see a cancellation;
 * the centre escalates silently. Pure rules, no I/O.
 */

/** Alarm kinds raised under duress (a device's duress code; Contact ID 1121 maps here). */
export const isDuressKind = (kind: string): boolean => kind === 'duress';

/** What the device is told on its ack topic: a duress alarm reads as cancelled, and nothing more. */
export function deviceAckState(kind: string, state: string): string | undefined {
  if (!isDuressKind(kind)) return state;
  return state === 'received' ? 'cancelled' : undefined;
}

/**
 * Answers are compared as people say them on the phone: case, accents, punctuation and spacing
 * do not matter ("Río Bravo" = "rio bravo").
 */
export function normaliseAnswer(answer: string): string {
  return answer
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export type AnswerResult = 'correct' | 'wrong' | 'duress' | 'not_set';
