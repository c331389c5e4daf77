import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema, loadConfig } from '../src/config/index.ts';

/** No Docker engine runs on these machines, so the production compose file is checked as a file. */
interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  healthcheck?: { test: unknown };
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(fs.readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const centinela = compose.services.centinela as Service;

describe('docker-compose.yml', () => {
  it('runs Centinela with PostgreSQL, InfluxDB 2.7 and Redis, each with a health check and a volume', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['centinela', 'influxdb', 'postgres', 'redis']);
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.healthcheck?.test, `${name} has no health check`).toBeTruthy();
      expect(service.volumes?.length, `${name} keeps no data in a volume`).toBeGreaterThan(0);
      for (const v of service.volumes ?? []) expect(Object.keys(compose.volumes)).toContain(v.split(':')[0]);
    }
    expect(compose.services.influxdb?.image).toMatch(/^influxdb:2\.7\.\d+$/);
    expect(Object.fromEntries(Object.entries(centinela.depends_on ?? {}).map(([k, v]) => [k, v.condition]))).toEqual({
      postgres: 'service_healthy',
      influxdb: 'service_healthy',
      redis: 'service_healthy',
    });
  });

  // PostgreSQL publishes major.minor as its exact releases (15.10); others major.minor.patch.
  it('pins every image to an exact version', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.image, `${name} has no image`).toBeTruthy();
      expect(service.image, `${name} is not pinned`).toMatch(/:\d+\.\d+(\.\d+)?(-[a-z0-9]+)?$|@sha256:[0-9a-f]{64}$/);
    }
    expect(fs.readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8')).toMatch(/^FROM node:20\.\d+\.\d+-bookworm-slim/m);
  });

  it('sets only variables Centinela reads, and all that production needs', () => {
    const known = Object.keys(envSchema.shape);
    const set = Object.keys(centinela.environment ?? {});
    for (const name of set) expect(known, `${name} is set but Centinela does not read it`).toContain(name);
    for (const needed of [
      'DATABASE_URL',
      'INFLUX_URL',
      'INFLUX_TOKEN',
      'INFLUX_ORG',
      'INFLUX_BUCKET',
      'REDIS_URL',
      'TWILIO_ACCOUNT_SID',
      'TWILIO_AUTH_TOKEN',
      'TWILIO_FROM',
      'CENTINELA_WATCHDOG_URL',
      'CENTINELA_PUBLIC_URL',
    ]) {
      expect(set).toContain(needed);
    }
  });

  it('documents every variable it sets with a comment', () => {
    const text = fs.readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8');
    const lines = text.split('\n');
    const block = lines.slice(
      lines.findIndex((l) => l.trim() === 'environment:'),
      lines.findIndex((l) => l.trim() === 'volumes:'),
    );
    for (const name of Object.keys(centinela.environment ?? {})) {
      const at = block.findIndex((l) => l.trim().startsWith(`${name}:`));
      const groupStart = block.slice(0, at + 1).findLastIndex((l) => l.trim().startsWith('#'));
      const between = block.slice(groupStart + 1, at).every((l) => /^\s+[A-Z_]+:/.test(l));
      expect(groupStart >= 0 && between, `${name} has no comment above it`).toBe(true);
    }
  });

  it('describes a configuration Centinela accepts once the secrets are filled in', () => {
    const env = Object.fromEntries(
      Object.entries(centinela.environment ?? {}).map(([k, v]) => [
        k,
        v.replace(
          /\$\{(\w+)(:[-?][^}]*)?\}/g,
          (_m, name: string) =>
            ({
              POSTGRES_PASSWORD: 'pw',
              INFLUX_TOKEN: 'tok',
              TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
              TWILIO_AUTH_TOKEN: 'auth',
              TWILIO_FROM: '+15005550006',
              CENTINELA_WATCHDOG_URL: 'https://deadman.example.org/p',
              CENTINELA_PUBLIC_URL: 'https://centinela.example.org',
            })[name] ?? '',
        ),
      ]),
    );
    const config = loadConfig(env);
    expect(config.database.kind).toBe('postgres');
    expect(config.influx?.bucket).toBe('telemetry');
    expect(config.twilio).toBeDefined();
  });
});
