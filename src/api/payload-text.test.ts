import { describe, expect, it } from 'vitest';
import { withoutPayloadText } from './payload-text.ts';

describe('reasons shown for unreadable messages', () => {
  it('keep the parser’s words but none of the message’s text', () => {
    let reason = '';
    try {
      JSON.parse('Help me, they are at the door');
    } catch (err) {
      reason = `invalid_json: ${(err as Error).message}`;
    }
    expect(reason).toContain('Help');
    const shown = withoutPayloadText(reason);
    expect(shown).not.toMatch(/Help|door|they/);
    expect(shown).toContain('invalid_json');
    expect(withoutPayloadText('invalid_fields: ts: expected a date')).toBe('invalid_fields: ts: expected a date');
    expect(withoutPayloadText('bad "unterminated text')).toBe('bad "…"');
  });
});
