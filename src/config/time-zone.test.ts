import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.ts';

describe("the centre's time zone", () => {
  it('defaults to America/Mexico_City and takes any IANA zone', () => {
    expect(loadConfig({}).timeZone).toBe('America/Mexico_City');
    expect(loadConfig({ CENTINELA_TIME_ZONE: 'America/Tijuana' }).timeZone).toBe('America/Tijuana');
  });

  it('refuses a zone that does not exist, naming the variable', () => {
    expect(() => loadConfig({ CENTINELA_TIME_ZONE: 'Mexico/Tarahumara' })).toThrow(/CENTINELA_TIME_ZONE: expected an IANA time zone name/);
  });
});
