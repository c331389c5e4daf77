import { describe, expect, it } from 'vitest';
import { isTimeZone, monthSlices, parseCentreDate, startOfDay, startOfMonth } from './calendar.ts';

describe("the centre's calendar", () => {
  it('a day in Mexico City (UTC−6, no daylight saving since 2022) starts at 06:00 UTC', () => {
    expect(new Date(startOfDay(2026, 6, 1, 'America/Mexico_City')).toISOString()).toBe('2026-06-01T06:00:00.000Z');
    expect(new Date(parseCentreDate('2026-01-15', 'America/Mexico_City')).toISOString()).toBe('2026-01-15T06:00:00.000Z');
    expect(parseCentreDate('2026-06-01T00:00:00Z', 'America/Mexico_City')).toBe(Date.UTC(2026, 5, 1));
  });

  it('follows daylight saving where a zone has it: New York midnight is 04:00 UTC in July and 05:00 UTC in January', () => {
    expect(new Date(startOfDay(2026, 7, 1, 'America/New_York')).toISOString()).toBe('2026-07-01T04:00:00.000Z');
    expect(new Date(startOfDay(2026, 1, 1, 'America/New_York')).toISOString()).toBe('2026-01-01T05:00:00.000Z');
    // 8 March 2026 has 23 hours there.
    expect(startOfDay(2026, 3, 9, 'America/New_York') - startOfDay(2026, 3, 8, 'America/New_York')).toBe(23 * 3_600_000);
  });

  it('cuts a period into its calendar months, the first and last clipped', () => {
    const tz = 'America/Mexico_City';
    const slices = monthSlices(Date.UTC(2026, 4, 20, 6), Date.UTC(2026, 6, 10, 6), tz);
    expect(slices.map((s) => [s.month, new Date(s.from).toISOString(), new Date(s.to).toISOString()])).toEqual([
      ['2026-05', '2026-05-20T06:00:00.000Z', '2026-06-01T06:00:00.000Z'],
      ['2026-06', '2026-06-01T06:00:00.000Z', '2026-07-01T06:00:00.000Z'],
      ['2026-07', '2026-07-01T06:00:00.000Z', '2026-07-10T06:00:00.000Z'],
    ]);
    // 1 June 03:00 UTC is still 31 May in Mexico City.
    expect(startOfMonth(Date.UTC(2026, 5, 1, 3), tz)).toBe(Date.UTC(2026, 4, 1, 6));
  });

  it('knows real zones and refuses invented ones', () => {
    expect(isTimeZone('America/Mexico_City')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('America/Narnia')).toBe(false);
  });
});
