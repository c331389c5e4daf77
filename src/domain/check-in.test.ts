import { describe, expect, it } from 'vitest';
import { checkInOutcome, parseCheckInSms } from './check-in.ts';

describe('check-in SMS commands (pure)', () => {
  it('reads "VIAJE 120" with or without a destination, which keeps its spelling', () => {
    expect(parseCheckInSms('VIAJE 120')).toEqual({ type: 'set', minutes: 120, destination: null });
    expect(parseCheckInSms('viaje 45 Mercado de Tixtla, Guerrero')).toEqual({
      type: 'set',
      minutes: 45,
      destination: 'Mercado de Tixtla, Guerrero',
    });
    expect(parseCheckInSms('  Viaje   90   Ayotzinapa ')).toEqual({ type: 'set', minutes: 90, destination: 'Ayotzinapa' });
  });

  it('refuses minutes that are not a whole number between 5 and 1440', () => {
    for (const body of ['VIAJE', 'VIAJE dos', 'VIAJE 0', 'VIAJE 4', 'VIAJE 1441', 'VIAJE 12.5'])
      expect(parseCheckInSms(body)).toEqual({ type: 'invalid', why: 'minutes' });
  });

  it('reads the arrival words, accents and case aside, and leaves any other text to the other replies', () => {
    for (const body of ['LLEGUE', 'llegué', 'Ya llegué!', 'Estoy bien.']) expect(parseCheckInSms(body)).toEqual({ type: 'check_in' });
    for (const body of ['SI', 'OK', '1', 'viajero 10', '']) expect(parseCheckInSms(body)).toBeUndefined();
  });
});

describe('what a check-in does to a timer', () => {
  const now = 1_000_000;
  it('checks in a running timer before it runs out; an expired, closed or missing one is said so', () => {
    expect(checkInOutcome({ state: 'running', dueAt: now + 1 }, now)).toBe('checked_in');
    expect(checkInOutcome({ state: 'running', dueAt: now }, now)).toBe('expired');
    expect(checkInOutcome({ state: 'expired', dueAt: now - 5 }, now)).toBe('expired');
    expect(checkInOutcome({ state: 'checked_in', dueAt: now + 5 }, now)).toBe('closed');
    expect(checkInOutcome(undefined, now)).toBe('unknown');
  });
});
