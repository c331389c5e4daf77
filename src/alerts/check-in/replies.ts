import { MAX_MINUTES, MIN_MINUTES } from '../../domain/check-in.ts';
import type { Templates } from '../templates.ts';

/**
 * What a person hears back when they set a check-in timer or check in by SMS or phone. The texts
 * are message templates (src/alerts/templates/<language>.json, keys `checkIn…`), so a centre
 * edits or translates them like every other message; a language without them falls back to
 * Spanish, which must carry them all (checked at start, src/alerts/templates.ts).
 */
const KEYS = {
  set: 'checkInSet',
  checkedIn: 'checkInCheckedIn',
  unknown: 'checkInUnknown',
  expired: 'checkInExpired',
  invalid: 'checkInInvalid',
  unknownPhone: 'checkInUnknownPhone',
  ambiguous: 'checkInAmbiguous',
  voiceMenu: 'checkInVoiceMenu',
  voiceNoInput: 'checkInVoiceNoInput',
} as const;

export type ReplyKey = keyof typeof KEYS;

export function reply(templates: Templates, language: string, key: ReplyKey, vars: Record<string, string | number> = {}): string {
  return templates.render(language, KEYS[key], { min: MIN_MINUTES, max: MAX_MINUTES, ...vars });
}
