import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.ts';

describe('loadConfig', () => {
  it('runs embedded with no environment at all: SQLite under ./data, ports 8080 and 1883, console outbox', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(8080);
    expect(config.mqtt.port).toBe(1883);
    expect(config.database).toMatchObject({ kind: 'sqlite' });
    expect(config.database.kind === 'sqlite' && config.database.file).toMatch(/data\/centinela\.db$/);
    expect(config.twilio).toBeUndefined();
    expect(config.mqtt.externalUrl).toBeUndefined();
  });

  it('recognises every variable of the interface', () => {
    const config = loadConfig({
      CENTINELA_HTTP_PORT: '9090',
      CENTINELA_MQTT_PORT: '18830',
      CENTINELA_DATA_DIR: '/var/lib/centinela',
      DATABASE_URL: 'postgres://centinela@db:5432/centinela',
      INFLUX_URL: 'http://influx:8086',
      INFLUX_TOKEN: 't',
      INFLUX_ORG: 'mecanismo',
      INFLUX_BUCKET: 'telemetry',
      MQTT_URL: 'mqtt://broker:1883',
      REDIS_URL: 'redis://redis:6379',
      TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'secret',
      TWILIO_FROM: '+15005550006',
      CENTINELA_WATCHDOG_URL: 'https://deadman.example.org/ping/abc',
    });
    expect(config).toMatchObject({
      http: { port: 9090 },
      mqtt: { port: 18830, externalUrl: 'mqtt://broker:1883' },
      dataDir: '/var/lib/centinela',
      database: { kind: 'postgres', url: 'postgres://centinela@db:5432/centinela' },
      influx: { url: 'http://influx:8086', org: 'mecanismo', bucket: 'telemetry' },
      redisUrl: 'redis://redis:6379',
      twilio: { from: '+15005550006' },
      watchdog: { url: 'https://deadman.example.org/ping/abc', intervalS: 60 },
    });
  });

  it('stops on a bad port naming the variable and what it expects', () => {
    expect(() => loadConfig({ CENTINELA_HTTP_PORT: 'eighty' })).toThrow(/CENTINELA_HTTP_PORT: expected a TCP port number/);
    expect(() => loadConfig({ CENTINELA_MQTT_PORT: '70000' })).toThrow(/CENTINELA_MQTT_PORT: expected a port from 0/);
  });

  it('stops on a database URL that is not PostgreSQL, without echoing it', () => {
    let message = '';
    try {
      loadConfig({ DATABASE_URL: 'mysql://root:hunter2@db/centinela' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('DATABASE_URL: expected a URL starting with postgres:// or postgresql://');
    expect(message).not.toContain('hunter2');
  });

  it('wants all three Twilio variables or none, naming the missing ones', () => {
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}` })).toThrow(
      /TWILIO_AUTH_TOKEN: must be set together with TWILIO_ACCOUNT_SID.*TWILIO_FROM: must be set together/,
    );
  });

  it('refuses a Twilio sender that is not E.164', () => {
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'x', TWILIO_FROM: '5551234' })).toThrow(
      /TWILIO_FROM: expected a phone number in E\.164 form/,
    );
  });

  it('refuses the same port for HTTP and MQTT', () => {
    expect(() => loadConfig({ CENTINELA_HTTP_PORT: '1883' })).toThrow(/CENTINELA_MQTT_PORT: must differ from CENTINELA_HTTP_PORT/);
  });
});
