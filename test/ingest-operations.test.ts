import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.ts';
import { startCentinela } from '../src/main.ts';
import { createLogger } from '../src/platform/index.ts';
import { freshStore } from './fixtures/databases.ts';
import { startIngestCentinela } from './fixtures/ingest-centinela.ts';
import { alarm, connectDevice, registerDevice } from './fixtures/mqtt.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

describe('the embedded broker in operation', () => {
  it('stops the start with a message naming CENTINELA_MQTT_PORT when the port is taken', async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => taken.close(() => r())));
    const port = String((taken.address() as net.AddressInfo).port);
    await expect(startIngestCentinela('sqlite', { CENTINELA_MQTT_PORT: port })).rejects.toMatchObject({
      code: 'CENTINELA_ERR_PORT_IN_USE',
      message: expect.stringContaining('CENTINELA_MQTT_PORT'),
    });
  });

  it('answers readiness with the broker listening', async () => {
    const t = await startIngestCentinela('sqlite');
    cleanups.push(() => t.stop());
    const res = await fetch(`${t.centinela.httpUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain('mqtt');
  });

  it('takes alarms over TLS when a certificate is configured', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-tls-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'],
      { stdio: 'ignore' },
    );
    const t = await startIngestCentinela('sqlite', {
      CENTINELA_MQTT_TLS_PORT: '0',
      CENTINELA_MQTT_TLS_CERT: cert,
      CENTINELA_MQTT_TLS_KEY: key,
    });
    cleanups.push(() => t.stop());
    const tlsPort = t.centinela.parts.ingest.mqttTlsPort;
    expect(tlsPort).toBeGreaterThan(0);
    const dev = await registerDevice(t.centinela.repos, 'pb-tls');
    const client = await mqtt.connectAsync(`mqtts://127.0.0.1:${tlsPort}`, {
      clientId: dev.id,
      username: dev.id,
      password: dev.secret,
      protocolVersion: 4,
      reconnectPeriod: 0,
      ca: fs.readFileSync(cert),
      rejectUnauthorized: false,
    });
    await client.publishAsync(`v1/devices/${dev.id}/alarm`, alarm('over-tls'), { qos: 1 });
    await client.endAsync();
    expect((await t.alarmsOf(dev.id)).map((a) => a.kind)).toEqual(['panic']);
  });
});

describe('two Centinela nodes sharing Redis and PostgreSQL', () => {
  it('delivers a downlink asked for on one node to the device connected to the other', async () => {
    const db = await freshStore('postgres');
    cleanups.push(() => db.cleanup());
    const dev = await registerDevice(db.repos, `pb-redis-${Date.now()}`);
    const env = {
      ...db.env,
      REDIS_URL: 'redis://127.0.0.1:6379',
      CENTINELA_HTTP_PORT: '0',
      CENTINELA_MQTT_PORT: '0',
      CENTINELA_HTTP_HOST: '127.0.0.1',
      CENTINELA_MQTT_HOST: '127.0.0.1',
    };
    const ports: number[] = [];
    const start = async () => {
      const logger = createLogger({
        level: 'info',
        destination: {
          write(line: string) {
            const e = JSON.parse(line) as { msg?: string; port?: number };
            if (e.msg === 'mqtt listening') ports.push(Number(e.port));
          },
        },
      });
      const c = await startCentinela(loadConfig(env), { logger, listen: false });
      cleanups.push(() => c.stop());
      return c;
    };
    const a = await start();
    await start();
    const client = await connectDevice(ports[1] as number, dev, { clean: true });
    cleanups.push(() => client.endAsync(true));
    await client.subscribeAsync(`v1/devices/${dev.id}/ack`, { qos: 1 });
    const got = new Promise<string>((resolve) => client.once('message', (_t, p) => resolve(p.toString())));
    a.events.emit('downlink.requested', {
      deviceId: dev.id,
      topic: 'ack',
      payload: { alarmId: 'alm_x', state: 'dispatched' },
      retain: false,
    });
    expect(JSON.parse(await got)).toEqual({ alarmId: 'alm_x', state: 'dispatched' });
  });
});
