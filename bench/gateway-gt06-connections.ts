/**
 * N GT06 trackers held by one Centinela process (issue 17 §7): registers N devices by IMEI,
 * connects N logged-in trackers from a separate process, and reports the server's RSS and heap
 * per connection, with the load average. The server is a whole Centinela (SQLite, health, alerts).
 *
 *   node --expose-gc --import tsx bench/gateway-gt06-connections.ts [N=500]
 *   (quiet machine: N=5000; one process holds at most ~19,500 sockets here)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/index.ts';
import { startCentinela } from '../src/main.ts';
import { createLogger } from '../src/platform/index.ts';
import { hashSecret } from '../src/platform/secrets.ts';
import { systemActor } from '../src/store/index.ts';

const n = Number(process.argv[2] ?? 500);
const IMEI_BASE = 868_120_000_000_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gt06-bench-'));
const centinela = await startCentinela(
  loadConfig({
    CENTINELA_DATA_DIR: dir,
    CENTINELA_HTTP_PORT: '0',
    CENTINELA_MQTT_PORT: '0',
    CENTINELA_HTTP_HOST: '127.0.0.1',
    CENTINELA_MQTT_HOST: '127.0.0.1',
    CENTINELA_GT06_PORT: '0',
    CENTINELA_GATEWAY_HOST: '127.0.0.1',
  }),
  { logger: createLogger({ level: 'warn' }) },
);
const port = centinela.parts.ingest.protocolPorts.gt06 as number;
const hash = await hashSecret('unused: GT06 devices have no MQTT secret');
for (let i = 0; i < n; i++) {
  await centinela.repos.devices.create(
    systemActor('bench'),
    { id: `gt06-${i}`, modelId: 'panic-button', stateCode: 'GRO', hardwareId: String(IMEI_BASE + i) },
    hash,
  );
}

const gc = (globalThis as { gc?: () => void }).gc;
const measure = () => {
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
};
await new Promise((r) => setTimeout(r, 1000));
const before = measure();

const client = spawn(
  process.execPath,
  ['--import', 'tsx', fileURLToPath(new URL('./gateway-gt06-clients.ts', import.meta.url)), String(port), String(n), String(IMEI_BASE)],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const readyMs = await new Promise<number>((resolve, reject) => {
  client.stdout.on('data', (d: Buffer) => {
    const m = /ready (\d+)/.exec(d.toString());
    if (m) resolve(Number(m[1]));
  });
  client.once('exit', (code) => reject(new Error(`clients exited with ${code}`)));
});
// Let heartbeats' telemetry flush and the event loop settle before measuring.
await centinela.parts.ingest.flushTelemetry();
await new Promise((r) => setTimeout(r, 2000));
const after = measure();
const metrics = await (await fetch(`${centinela.httpUrl}/metrics`)).text();
const held = Number(/centinela_gateway_connections\{protocol="gt06"\} (\d+)/.exec(metrics)?.[1] ?? 0);

const kb = (b: number) => (b / 1024).toFixed(1);
const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
console.log(
  '| connections | held (gauge) | login+status for all | RSS before → after | RSS per connection | heap per connection | load average (1/5/15 min) |',
);
console.log('|---:|---:|---:|---|---:|---:|---|');
console.log(
  `| ${n} | ${held} | ${(readyMs / 1000).toFixed(1)} s | ${kb(before.rss / 1024)} → ${kb(after.rss / 1024)} MiB | ${kb((after.rss - before.rss) / n)} KiB | ${kb((after.heap - before.heap) / n)} KiB | ${load} |`,
);
client.kill();
await centinela.stop();
fs.rmSync(dir, { recursive: true, force: true });
