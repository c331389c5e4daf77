import { describe, expect, it } from 'vitest';
import { deviceAckState, normaliseAnswer } from './duress.ts';

describe('duress rules (pure)', () => {
  it('tells a duress device "cancelled" on receipt and nothing after; other kinds hear every state', () => {
    expect(deviceAckState('duress', 'received')).toBe('cancelled');
    for (const state of ['acknowledged', 'dispatched', 'resolved']) expect(deviceAckState('duress', state)).toBeUndefined();
    expect(deviceAckState('panic', 'received')).toBe('received');
    expect(deviceAckState('panic', 'dispatched')).toBe('dispatched');
  });

  it('compares answers as spoken: case, accents, punctuation and spaces do not matter', () => {
    expect(normaliseAnswer('  Río   Bravo! ')).toBe('rio bravo');
    expect(normaliseAnswer('RIO-BRAVO')).toBe('rio bravo');
    expect(normaliseAnswer('Ñandú')).toBe('nandu');
    expect(normaliseAnswer('rio bravo')).not.toBe(normaliseAnswer('rio bravos'));
  });
});
