import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.ts';

describe('protocol gateway configuration (issue 17)', () => {
  it('listens for no protocol unless its port or token is set', () => {
    expect(loadConfig({}).gateways).toEqual({
      host: '0.0.0.0',
      gt06Port: undefined,
      dc09Port: undefined,
      dc09KeysFile: undefined,
      sbdPort: undefined,
      sbdMtAddress: undefined,
      inreachToken: undefined,
    });
  });

  it('reads every gateway variable', () => {
    const config = loadConfig({
      CENTINELA_GATEWAY_HOST: '127.0.0.1',
      CENTINELA_GT06_PORT: '5023',
      CENTINELA_DC09_PORT: '5024',
      CENTINELA_DC09_KEYS_FILE: '/etc/centinela/dc09-keys.json',
      CENTINELA_SBD_PORT: '10800',
      CENTINELA_SBD_MT_ADDRESS: '12.47.179.12:10800',
      CENTINELA_INREACH_TOKEN: 'a-long-shared-secret-for-garmin-0001',
    });
    expect(config.gateways).toEqual({
      host: '127.0.0.1',
      gt06Port: 5023,
      dc09Port: 5024,
      dc09KeysFile: '/etc/centinela/dc09-keys.json',
      sbdPort: 10800,
      sbdMtAddress: { host: '12.47.179.12', port: 10800 },
      inreachToken: 'a-long-shared-secret-for-garmin-0001',
    });
  });

  it('stops on a gateway port that clashes with another Centinela port, naming the variable', () => {
    expect(() => loadConfig({ CENTINELA_GT06_PORT: '8080' })).toThrow(/CENTINELA_GT06_PORT: must differ/);
    expect(() => loadConfig({ CENTINELA_GT06_PORT: '5023', CENTINELA_SBD_PORT: '5023' })).toThrow(/CENTINELA_GT06_PORT: must differ/);
  });

  it('stops on a keys file without the DC-09 port, a short inReach token, and an MT address that is not host:port', () => {
    expect(() => loadConfig({ CENTINELA_DC09_KEYS_FILE: '/k.json' })).toThrow(/CENTINELA_DC09_KEYS_FILE: needs CENTINELA_DC09_PORT/);
    expect(() => loadConfig({ CENTINELA_INREACH_TOKEN: 'short' })).toThrow(/CENTINELA_INREACH_TOKEN: must be at least 24 characters/);
    expect(() => loadConfig({ CENTINELA_SBD_MT_ADDRESS: 'http://x' })).toThrow(/CENTINELA_SBD_MT_ADDRESS: expected host:port/);
  });
});
