import { describe, expect, it } from 'vitest';
import { codesIn, replyCode } from './reply-code.ts';

describe('reply codes', () => {
  it('are four unmistakable characters, the same for the same alarm and different across alarms', () => {
    const codes = new Set(Array.from({ length: 200 }, (_, i) => replyCode(`alm_${i}`)));
    for (const c of codes) expect(c).toMatch(/^[ACEFHJKLMNPRTUVWXY34679]{4}$/);
    expect(replyCode('alm_1')).toBe(replyCode('alm_1'));
    expect(codes.size).toBeGreaterThan(195);
  });

  it('are found in a reply whatever the case and the words around them', () => {
    expect(codesIn('k7q2')).toEqual([]);
    expect(codesIn('1 kx7c')).toEqual(['KX7C']);
    expect(codesIn('OK, KX7C gracias')).toEqual(['KX7C']);
    expect(codesIn('1')).toEqual([]);
    expect(codesIn('Sí')).toEqual([]);
  });
});
