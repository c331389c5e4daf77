import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.ts';
import type { EventMap } from '../src/events/index.ts';
import { type Centinela, startCentinela } from '../src/main.ts';
import { createLogger } from '../src/platform/index.ts';
import { freshStore } from './fixtures/databases.ts';
import { eventually } from './fixtures/ingest-wait.ts';
import { alarm, connectDevice, type DeviceCredentials, registerDevice } from './fixtures/mqtt.ts';
import { TcpFaultProxy } from './fixtures/tcp-fault-proxy.ts';

/**
 * Issue 13 §1 and §2 on PostgreSQL, with the database stalled behind a proxy (every byte held,
 * connections open — what an 8–30 s stall of its host looks like): alarms are PUBACKed from the
 * local journal within the bound, no device is disconnected or reported as leaving, a device that
 * reconnects is admitted from what the node knows, and once the database answers every alarm is
 * stored and announced exactly once — including those whose stalled commit lands late.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

async function centinelaBehindProxy() {
  const db = await freshStore('postgres');
  cleanups.push(() => db.cleanup());
  const proxy = new TcpFaultProxy(Number(new URL(db.env.DATABASE_URL as string).port || 5432));
  const url = new URL(db.env.DATABASE_URL as string);
  url.port = String(await proxy.start());
  cleanups.push(() => proxy.stop());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-stall-'));
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _e, done) {
      for (const l of String(chunk).split('\n')) if (l.trim()) logs.push(JSON.parse(l));
      done();
    },
  });
  const centinela: Centinela = await startCentinela(
    loadConfig({
      CENTINELA_HTTP_PORT: '0',
      CENTINELA_MQTT_PORT: '0',
      CENTINELA_HTTP_HOST: '127.0.0.1',
      CENTINELA_MQTT_HOST: '127.0.0.1',
      DATABASE_URL: url.toString(),
      CENTINELA_DATA_DIR: dataDir,
      CENTINELA_ALARM_STORE_TIMEOUT_MS: '1000',
    }),
    { logger: createLogger({ level: 'info', destination: sink }) },
  );
  cleanups.push(async () => {
    await proxy.restore();
    await centinela.stop();
  });
  const mqttPort = Number(logs.find((l) => l.msg === 'mqtt listening')?.port);
  const seen = { raised: [] as EventMap['alarm.raised'][], journaled: 0, leftWithWill: 0 };
  centinela.events.on('alarm.raised', (e) => void seen.raised.push(e));
  centinela.events.on('alarm.journaled', () => void seen.journaled++);
  centinela.events.on('device.disconnected', (e) => void (e.lastWill && seen.leftWithWill++));
  const counter = async (name: string) =>
    ((await centinela.metrics.registry.getSingleMetric(name)?.get())?.values ?? []).reduce((s, v) => s + v.value, 0);
  return { db, proxy, centinela, mqttPort, seen, counter };
}

describe('a PostgreSQL stall (postgres)', () => {
  it('PUBACKs alarms from the journal, keeps every device connected, and stores and announces each alarm once afterwards', async () => {
    const r = await centinelaBehindProxy();
    const devices: DeviceCredentials[] = [];
    for (let i = 0; i < 5; i++) devices.push(await registerDevice(r.db.repos, `pb-stall-${i}`));
    const clients: MqttClient[] = [];
    let closes = 0;
    for (const d of devices) {
      const c = await connectDevice(r.mqttPort, d, { reconnectPeriod: 0 });
      c.on('close', () => closes++);
      cleanups.push(async () => void c.end(true));
      clients.push(c);
    }
    // One alarm while all is well, so the stalled commits below are not the first.
    await clients[0]?.publishAsync(`v1/devices/${devices[0]?.id}/alarm`, alarm('before'), { qos: 1 });

    r.proxy.stall();
    await Promise.all(clients.map((c, i) => c.publishAsync(`v1/devices/${devices[i]?.id}/alarm`, alarm(`stalled-${i}`), { qos: 1 })));
    // The journal held them before their PUBACK; the operators' notice follows the PUBACK.
    expect(await r.counter('centinela_ingest_alarms_journaled_total')).toBeGreaterThanOrEqual(1);
    await eventually(async () => r.seen.journaled >= 1);
    // A device that hangs up and comes back during the stall is admitted from what the node knows.
    const leaving = clients.pop() as MqttClient;
    leaving.removeAllListeners('close');
    await leaving.endAsync();
    const back = await connectDevice(r.mqttPort, devices[4] as DeviceCredentials, { reconnectPeriod: 0 });
    cleanups.push(async () => void back.end(true));
    await back.publishAsync(`v1/devices/${devices[4]?.id}/alarm`, alarm('after-reconnect'), { qos: 1 });
    expect(closes).toBe(0);

    r.proxy.restore();
    const ids = ['before', ...devices.map((_, i) => `stalled-${i}`), 'after-reconnect'];
    await eventually(async () => {
      const rows = await r.db.store.db.selectFrom('alarm_presses').select('device_alarm_id').execute();
      return ids.every((id) => rows.some((x) => x.device_alarm_id === id));
    });
    // Stored once each: device 0 pressed twice (one alarm, count 2), device 4 twice too.
    const alarms = await r.db.store.db.selectFrom('alarms').select(['device_id', 'press_count']).orderBy('device_id').execute();
    expect(alarms.map((a) => [a.device_id, a.press_count])).toEqual(devices.map((d, i) => [d.id, i === 0 || i === 4 ? 2 : 1]));
    // Announced once each: one alarm.raised per press stored.
    await eventually(async () => r.seen.raised.length >= ids.length);
    expect(r.seen.raised.length).toBe(ids.length);
    expect(await r.counter('centinela_ingest_alarm_store_failures_total')).toBeGreaterThanOrEqual(1);
    expect(r.seen.leftWithWill).toBe(0);
    expect(closes).toBe(0);
  }, 120_000);
});
