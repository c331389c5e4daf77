import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';
import { afterEach, expect, it } from 'vitest';
import { BIN } from './fixtures/cli.ts';
import { freshStore } from './fixtures/databases.ts';
import { eventually } from './fixtures/ingest-wait.ts';
import { connectDevice, registerDevice } from './fixtures/mqtt.ts';

const PRLIMIT = '/usr/bin/prlimit';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** `centinela serve` with a soft and hard open-file limit of `limit` (util-linux prlimit). */
async function serveWithFileLimit(limit: number, env: Record<string, string>) {
  if (!fs.existsSync(PRLIMIT)) throw new Error(`${PRLIMIT} is required by this suite and is missing: apt-get install -y util-linux`);
  const child: ChildProcess = spawn(PRLIMIT, [`--nofile=${limit}:${limit}`, process.execPath, BIN, 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      CENTINELA_HTTP_PORT: '0',
      CENTINELA_MQTT_PORT: '0',
      CENTINELA_HTTP_HOST: '127.0.0.1',
      CENTINELA_MQTT_HOST: '127.0.0.1',
      CENTINELA_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push(async () => {
    child.kill('SIGKILL');
    await exited;
  });
  const logs: Record<string, unknown>[] = [];
  const started = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`centinela exited (${code}) while starting`)));
    readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const l = JSON.parse(line) as Record<string, unknown>;
      logs.push(l);
      if (l.msg === 'centinela started') resolve(l);
    });
  });
  const httpUrl = String((await started).http);
  const mqttPort = Number(logs.find((l) => l.msg === 'mqtt listening')?.port);
  return { httpUrl, mqttPort, logs };
}

const openSockets = (port: number, n: number) =>
  Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<net.Socket>((resolve) => {
          const s = net.connect(port, '127.0.0.1', () => resolve(s));
          s.on('error', () => resolve(s));
        }),
    ),
  );

it('at its open-file limit Centinela refuses new MQTT connections cleanly, says so, and keeps answering HTTP', async () => {
  const db = await freshStore('sqlite');
  cleanups.push(() => db.cleanup());
  const device = await registerDevice(db.repos, 'pb-at-the-limit');
  const s = await serveWithFileLimit(1_000, db.env);
  // 1,000 files: 936 for MQTT connections, 64 kept for SQLite, HTTP and the rest (docs/capacity.md).
  expect(s.logs.find((l) => l.msg?.toString().startsWith('open-file limit read'))).toMatchObject({
    openFileLimit: 1_000,
    mqttConnectionCeiling: 936,
  });
  const sockets = await openSockets(s.mqttPort, 980);
  cleanups.push(() => {
    for (const k of sockets) k.destroy();
  });

  const metrics = async () => (await fetch(`${s.httpUrl}/metrics`)).text();
  await eventually(async () => /centinela_mqtt_connections_refused_total\{reason="open_file_limit"\} [1-9]/.test(await metrics()));
  expect((await fetch(`${s.httpUrl}/healthz`)).status).toBe(200);
  // Past 90 % of the limit: a warning, and readiness says so (checked every 5 s).
  const ready = await eventually(async () => {
    const res = await fetch(`${s.httpUrl}/readyz`);
    return res.status === 503 ? ((await res.json()) as { checks: Record<string, boolean> }) : undefined;
  });
  expect(ready.checks).toMatchObject({ open_files: false, mqtt: true, database: true });
  expect(s.logs.filter((l) => String(l.msg).startsWith('open files at 90 %'))).toHaveLength(1);
  // Dozens refused, one line in the log (at most one a minute).
  expect(s.logs.filter((l) => String(l.msg).startsWith('mqtt connections refused'))).toHaveLength(1);

  for (const k of sockets) k.destroy();
  const client = await eventually(async () => connectDevice(s.mqttPort, device).catch(() => undefined));
  expect(client.connected).toBe(true);
  await client.endAsync();
  await eventually(async () => (await fetch(`${s.httpUrl}/readyz`)).status === 200);
}, 120_000);
