/**
 * Alarm end-to-end latency: MQTT PUBLISH of a panic alarm → the first SMS request arriving at a
 * local Twilio (the real `twilio` client, rebased onto test/fixtures/twilio-recorder.ts).
 * p50/p99 with the centre idle, then with a fleet of heartbeating devices connected.
 *
 *   node --import tsx bench/alerts-latency.ts [--alarms 40] [--devices 5000] [--speed 1]
 *
 * Not a test: it prints a Markdown table to paste into bench/alerts-results.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { connectAsync, type MqttClient } from 'mqtt';
import type { FleetDevice } from '../devices/fleet/fleet-device.ts';
import { loadConfig } from '../src/config/index.ts';
import { startCentinela } from '../src/main.ts';
import { createLogger } from '../src/platform/index.ts';
import { hashSecret } from '../src/platform/secrets.ts';
import { systemActor } from '../src/store/index.ts';
import { TwilioRecorder } from '../test/fixtures/twilio-recorder.ts';
import { launchFleet } from './fleet-launcher.ts';

const { values } = parseArgs({
  options: {
    alarms: { type: 'string', default: '40' },
    devices: { type: 'string', default: '5000' },
    speed: { type: 'string', default: '1' },
  },
});
const ALARMS = Number(values.alarms);
const FLEET = Number(values.devices);
const SECRET = 'bench-secret';
const admin = systemActor('bench');

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] as number };
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-bench-alerts-'));
const rec = await TwilioRecorder.start();
const config = loadConfig({
  CENTINELA_HTTP_PORT: '0',
  CENTINELA_MQTT_PORT: '0',
  CENTINELA_HTTP_HOST: '127.0.0.1',
  CENTINELA_MQTT_HOST: '127.0.0.1',
  CENTINELA_DATA_DIR: dir,
  CENTINELA_PUBLIC_URL: 'https://centinela.example.org',
  ...rec.env(),
});
let mqttPort = 0;
const logger = createLogger({
  level: 'info',
  destination: {
    write(line: string) {
      const entry = JSON.parse(line) as { msg?: string; port?: number; tls?: boolean; level?: number };
      if (entry.msg === 'mqtt listening' && entry.tls === false) mqttPort = entry.port ?? 0;
      if ((entry.level ?? 0) >= 50 || (process.env.BENCH_DEBUG && (entry.level ?? 0) >= 40)) process.stderr.write(line);
    },
  },
});
const c = await startCentinela(config, { logger });
const hash = await hashSecret(SECRET);

// Alarm devices: one person each, one contact with a phone of their own to match on.
const alarmDevices: { id: string; phone: string; client?: MqttClient }[] = [];
for (let i = 0; i < 2 * ALARMS; i++) {
  const ben = await c.repos.beneficiaries.create(admin, {
    alias: `B${i}`,
    fullName: `Bench ${i}`,
    kind: 'defender',
    stateCode: 'GRO',
    riskLevel: 'high',
    language: 'es',
    presumedAggressors: [],
  });
  const phone = `+5274720${String(i).padStart(5, '0')}`;
  await c.repos.contacts.create(admin, {
    beneficiaryId: ben.id,
    name: 'C',
    phone,
    relation: 'x',
    language: 'es',
    channels: ['sms'],
    priority: 0,
  });
  const id = `alarm-${i}`;
  await c.repos.devices.create(admin, { id, modelId: 'panic-button', beneficiaryId: ben.id, stateCode: 'GRO' }, hash);
  alarmDevices.push({ id, phone });
}
for (const d of alarmDevices)
  d.client = await connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { clientId: d.id, username: d.id, password: SECRET, reconnectPeriod: 0 });

async function measure(devices: typeof alarmDevices): Promise<number[]> {
  const out: number[] = [];
  for (const d of devices) {
    const arrived = rec.waitFor((r) => r.kind === 'sms' && r.form.To === d.phone);
    const t0 = performance.now();
    await d.client?.publishAsync(`v1/devices/${d.id}/alarm`, JSON.stringify({ id: `p-${d.id}`, ts: Date.now(), kind: 'panic' }), {
      qos: 1,
    });
    out.push((await arrived).hr - t0);
  }
  return out;
}

const idle = summary(await measure(alarmDevices.slice(0, ALARMS)));
console.log(`idle: ${JSON.stringify(idle)}`);

let loaded: ReturnType<typeof summary> | undefined;
let heartbeatRate = 0;
if (FLEET > 0) {
  const fleet: FleetDevice[] = [];
  for (let i = 0; i < FLEET; i++) {
    const id = `hb-${i}`;
    await c.store.db
      .insertInto('devices')
      .values({
        id,
        model_id: 'panic-button',
        beneficiary_id: null,
        state_code: 'GRO',
        requested_at: null,
        installed_at: null,
        retired_at: null,
        heartbeat_interval_s: null,
        offline_after_s: null,
        on_test_until: null,
        secret_hash: hash,
        created_at: Date.now(),
        updated_at: Date.now(),
      })
      .execute();
    fleet.push({ id, model: 'panic-button', secret: SECRET });
  }
  const startedAt = Date.now();
  const launched = await launchFleet({
    url: `mqtt://127.0.0.1:${mqttPort}`,
    devices: fleet,
    seed: 1,
    speed: Number(values.speed),
    alarmEveryS: 0,
  });
  console.log(`fleet of ${FLEET} connected in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  // Let the heartbeats settle into their rhythm, then space the alarms out so the window
  // in which they are measured is also the window the heartbeat rate is counted over.
  await new Promise((r) => setTimeout(r, 10_000));
  const before = launched.stats();
  const t = Date.now();
  const samples: number[] = [];
  for (const d of alarmDevices.slice(ALARMS)) {
    samples.push(...(await measure([d])));
    await new Promise((r) => setTimeout(r, 250));
  }
  loaded = summary(samples);
  const after = launched.stats();
  heartbeatRate = after.heartbeats - before.heartbeats;
  heartbeatRate = heartbeatRate / ((Date.now() - t) / 1000);
  console.log(`under load: ${JSON.stringify(loaded)} (${heartbeatRate.toFixed(0)} heartbeats/s sent by the fleet)`);
  await launched.stop();
}

const row = (name: string, s: ReturnType<typeof summary>) =>
  `| ${name} | ${s.n} | ${s.p50.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.max.toFixed(1)} |`;
console.log('\n| centre | alarms | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|');
console.log(row('idle', idle));
if (loaded) console.log(row(`${FLEET} devices heartbeating (speed ${values.speed})`, loaded));

for (const d of alarmDevices) await d.client?.endAsync();
await c.stop();
await rec.stop();
fs.rmSync(dir, { recursive: true, force: true });
