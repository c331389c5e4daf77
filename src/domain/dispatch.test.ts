import { describe, expect, test } from 'vitest';
import { aggressorMatch, chooseResponders } from './dispatch.ts';

const r = (
  id: string,
  kind: 'municipal_police' | 'state_police' | 'mechanism_rapid_reaction',
  municipality: string | null,
  order: number,
  state = 'GRO',
) => ({
  id,
  kind,
  stateCode: state,
  municipality,
  escalationOrder: order,
});
const responders = [
  r('state-2', 'state_police', null, 2),
  r('muni-1', 'municipal_police', 'Chilpancingo', 1),
  r('other-muni', 'municipal_police', 'Acapulco', 0),
  r('rapid', 'mechanism_rapid_reaction', null, 1),
  r('ver', 'state_police', null, 0, 'VER'),
];
const where = { stateCode: 'GRO', municipality: 'Chilpancingo' };

describe('P4: choosing a responder never picks a presumed aggressor', () => {
  test('municipality first, then state-wide, each in escalation order; other municipalities and states are out', () => {
    expect(chooseResponders(responders, where, []).safe.map((x) => x.id)).toEqual(['muni-1', 'rapid', 'state-2']);
  });

  test('an aggressor named by id is skipped with its reason', () => {
    const out = chooseResponders(responders, where, [{ type: 'responder', responderId: 'muni-1' }]);
    expect(out.safe[0]?.id).toBe('rapid');
    expect(out.skipped).toEqual([{ responderId: 'muni-1', reason: 'named as a presumed aggressor' }]);
  });

  test('an authority without municipality covers every body of that kind in the state', () => {
    expect(
      aggressorMatch(r('x', 'municipal_police', 'Chilpancingo', 0), [
        { type: 'authority', responderKind: 'municipal_police', stateCode: 'GRO' },
      ]),
    ).toBeDefined();
  });

  test('an authority with a municipality matches only that municipality, and never another state', () => {
    const a = [
      { type: 'authority' as const, responderKind: 'municipal_police' as const, stateCode: 'GRO' as const, municipality: 'Acapulco' },
    ];
    expect(aggressorMatch(r('x', 'municipal_police', 'Chilpancingo', 0), a)).toBeUndefined();
    expect(aggressorMatch(r('x', 'municipal_police', 'Acapulco', 0, 'VER'), a)).toBeUndefined();
  });

  test('non-state and unknown aggressors exclude no responder', () => {
    expect(chooseResponders(responders, where, [{ type: 'non_state' }, { type: 'unknown' }]).skipped).toEqual([]);
  });

  test('when every responder is an aggressor, none is safe', () => {
    const out = chooseResponders(responders, where, [
      { type: 'authority', responderKind: 'municipal_police', stateCode: 'GRO' },
      { type: 'authority', responderKind: 'state_police', stateCode: 'GRO' },
      { type: 'responder', responderId: 'rapid' },
    ]);
    expect(out.safe).toEqual([]);
    expect(out.skipped).toHaveLength(3);
  });
});
