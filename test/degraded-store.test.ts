import net from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, expect, test } from 'vitest';
import { loadConfig } from '../src/config/index.ts';
import { type Centinela, startCentinela } from '../src/main.ts';
import { createLogger } from '../src/platform/index.ts';
import { systemActor } from '../src/store/index.ts';
import { raiseAlarm, seedCase } from './fixtures/alerts-world.ts';
import { freshStore, PG_URL, type TestStore } from './fixtures/databases.ts';

/**
 * Issue 13 point 5 on PostgreSQL: the database goes away (here a TCP gate in front of the shared
 * server is cut — the server itself is never touched). /readyz says why, the operators' reads
 * answer 503 with the reason and never 500, and all is well again when it returns.
 */
let c: Centinela | undefined;
let db: TestStore | undefined;
let gate: { port: number; cut(): void; restore(): void; close(): Promise<void> } | undefined;

afterEach(async () => {
  gate?.restore();
  await c?.stop();
  gate?.cut();
  await gate?.close();
  await db?.cleanup();
  c = gate = db = undefined;
});

async function openGate(target: URL) {
  const sockets = new Set<net.Socket>();
  let cut = false;
  const server = net.createServer((client) => {
    if (cut) return client.destroy();
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut: () => {
      cut = true;
      for (const s of sockets) s.destroy();
    },
    restore: () => {
      cut = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('PostgreSQL gone: /readyz 503 saying the database cannot be reached, GET /api/alarms 503 with the reason (never 500), ready again when it returns', {
  timeout: 90_000,
}, async () => {
  gate = await openGate(new URL(PG_URL));
  // A fresh schema as every test gets, reached through the gate.
  db = await freshStore('postgres');
  const url = new URL(db.env.DATABASE_URL as string);
  url.host = `127.0.0.1:${gate.port}`;
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  const config = loadConfig({
    CENTINELA_HTTP_PORT: '0',
    CENTINELA_MQTT_PORT: '0',
    CENTINELA_HTTP_HOST: '127.0.0.1',
    CENTINELA_MQTT_HOST: '127.0.0.1',
    DATABASE_URL: url.toString(),
  });
  c = await startCentinela(config, { logger: createLogger({ level: 'info', destination: sink }) });
  const { token } = await c.repos.users.create(systemActor('test'), { name: 'op', role: 'operator' });
  const kase = await seedCase(c);
  await raiseAlarm(c, { deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
  const base = c.httpUrl;
  const get = (path: string) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect((await get('/api/alarms')).status).toBe(200);

  gate.cut();
  let readyz = await fetch(`${base}/readyz`);
  for (let i = 0; i < 100 && readyz.status === 200; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    readyz = await fetch(`${base}/readyz`);
  }
  expect(readyz.status).toBe(503);
  expect(await readyz.json()).toMatchObject({
    checks: { database: false },
    reasons: { database: expect.stringMatching(/cannot be reached/) },
  });
  for (let i = 0; i < 3; i++) {
    const list = await get('/api/alarms');
    expect(list.status).toBe(503);
    expect(((await list.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'CENTINELA_ERR_STORE_UNAVAILABLE',
      message: expect.stringMatching(/cannot be reached/),
    });
  }
  expect(logs.filter((l) => l.msg === 'unexpected error')).toEqual([]);
  expect(logs.filter((l) => /cannot be reached/.test(String(l.msg)))).toHaveLength(1);

  gate.restore();
  let ready = 503;
  for (let i = 0; i < 100 && ready !== 200; i++) {
    ready = (await fetch(`${base}/readyz`)).status;
    if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(ready).toBe(200);
  expect((await get('/api/alarms')).status).toBe(200);
});
