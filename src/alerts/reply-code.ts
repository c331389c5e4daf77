import { createHash } from 'node:crypto';

/**
 * Issue 15: the short code an SMS reply must quote to acknowledge an alarm. It names the alarm,
 * so a reply can never acknowledge a different, later one. Derived from the alarm id (nothing to
 * store, the same on every node); letters and digits that cannot be mistaken for each other.
 * It is not a secret: the provider's signature and the paged phone authenticate the reply.
 */
const ALPHABET = 'ACEFHJKLMNPRTUVWXY34679';
export const REPLY_CODE_LENGTH = 4;

export function replyCode(alarmId: string): string {
  const digest = createHash('sha256').update(`reply-code:${alarmId}`).digest();
  let code = '';
  for (let i = 0; i < REPLY_CODE_LENGTH; i++) code += ALPHABET[(digest[i] as number) % ALPHABET.length];
  return code;
}

/** The candidate codes in a reply's text ("K7Q2", "1 k7q2", "OK K7Q2"), upper-cased. */
export function codesIn(body: string): string[] {
  const words = body
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .split(/[^A-Z0-9]+/);
  return words.filter((w) => w.length === REPLY_CODE_LENGTH && [...w].every((ch) => ALPHABET.includes(ch)));
}
