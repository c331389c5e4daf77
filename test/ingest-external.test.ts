import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.ts';
import { startCentinela } from '../src/main.ts';
import { createLogger } from '../src/platform/index.ts';
import { openStore } from '../src/store/index.ts';
import { freshStore } from './fixtures/databases.ts';
import { eventually } from './fixtures/ingest-wait.ts';
import { alarm, heartbeat, registerDevice } from './fixtures/mqtt.ts';

/**
 * External-broker mode against the machine's real Mosquitto (127.0.0.1:1883). Each test uses its
 * own device ids, consumer client id and share group, and removes its session afterwards.
 */
const MOSQUITTO = 'mqtt://127.0.0.1:1883';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

async function requireMosquitto(): Promise<void> {
  try {
    const c = await mqtt.connectAsync(MOSQUITTO, { reconnectPeriod: 0, connectTimeout: 3000 });
    await c.endAsync();
  } catch (err) {
    throw new Error(
      `Mosquitto is required by this suite and is not reachable at ${MOSQUITTO} (${(err as Error).message}): apt-get install -y mosquitto`,
    );
  }
}

async function setup() {
  await requireMosquitto();
  const tag = randomBytes(4).toString('hex');
  const db = await freshStore('sqlite');
  cleanups.push(() => db.cleanup());
  const device = await registerDevice(db.repos, `pb-ext-${tag}`);
  await db.store.close();
  const clientId = `centinela-test-${tag}`;
  const env = {
    ...db.env,
    CENTINELA_HTTP_PORT: '0',
    CENTINELA_HTTP_HOST: '127.0.0.1',
    MQTT_URL: `${MOSQUITTO}?clientId=${clientId}&shareGroup=g${tag}`,
  };
  const start = async () => {
    const c = await startCentinela(loadConfig(env), { logger: createLogger({ level: 'silent' }), listen: false });
    return c;
  };
  // Forget the persistent session at the end, so Mosquitto does not keep queueing for it.
  cleanups.push(async () => {
    const c = await mqtt.connectAsync(MOSQUITTO, { clientId, protocolVersion: 5, clean: true, properties: { sessionExpiryInterval: 0 } });
    await c.endAsync();
  });
  const deviceClient = await mqtt.connectAsync(MOSQUITTO, { clientId: device.id, protocolVersion: 4, reconnectPeriod: 0 });
  cleanups.push(() => deviceClient.endAsync(true));
  return { tag, db, device, start, deviceClient };
}

const alarmsIn = async (dataDir: string, deviceId: string) => {
  const store = await openStore({ kind: 'sqlite', file: `${dataDir}/centinela.db` });
  try {
    return await store.db.selectFrom('alarms').select(['kind', 'press_count']).where('device_id', '=', deviceId).execute();
  } finally {
    await store.close();
  }
};

const publish = (client: MqttClient, topic: string, payload: string) => client.publishAsync(topic, payload, { qos: 1 });

describe('Centinela consuming from an external MQTT broker', () => {
  it('raises alarms and takes heartbeats that devices publish to the broker', async () => {
    const s = await setup();
    const c = await s.start();
    cleanups.push(() => c.stop());
    const raised = c.events.next('alarm.raised', (e) => e.deviceId === s.device.id);
    const beat = c.events.next('heartbeat.received', (e) => e.deviceId === s.device.id);
    await publish(s.deviceClient, `v1/devices/${s.device.id}/heartbeat`, heartbeat(1));
    await publish(s.deviceClient, `v1/devices/${s.device.id}/alarm`, alarm('ext-1'));
    await publish(s.deviceClient, `v1/devices/${s.device.id}/alarm`, alarm('ext-1'));
    expect(await raised).toMatchObject({ kind: 'panic' });
    expect((await beat).heartbeat.seq).toBe(1);
    await c.stop();
    expect(await alarmsIn(s.db.env.CENTINELA_DATA_DIR as string, s.device.id)).toEqual([{ kind: 'panic', press_count: 1 }]);
  });

  it('gets the alarms published while it was down from its persistent session', async () => {
    const s = await setup();
    const first = await s.start();
    await first.stop();
    // Centinela is down; the button is pressed; the broker keeps the message for our session.
    await publish(s.deviceClient, `v1/devices/${s.device.id}/alarm`, alarm('while-down'));
    const second = await s.start();
    cleanups.push(() => second.stop());
    // Redelivered as soon as the session resumes, possibly while Centinela is still starting.
    const stored = await eventually(async () => {
      const rows = await alarmsIn(s.db.env.CENTINELA_DATA_DIR as string, s.device.id);
      return rows.length > 0 && rows;
    });
    expect(stored).toEqual([{ kind: 'panic', press_count: 1 }]);
  });

  it('publishes downlinks to the device through the broker', async () => {
    const s = await setup();
    const c = await s.start();
    cleanups.push(() => c.stop());
    await s.deviceClient.subscribeAsync(`v1/devices/${s.device.id}/config`, { qos: 1 });
    const got = new Promise<string>((resolve) => s.deviceClient.once('message', (_t, payload) => resolve(payload.toString())));
    c.events.emit('downlink.requested', { deviceId: s.device.id, topic: 'config', payload: { heartbeatIntervalS: 120 }, retain: true });
    expect(JSON.parse(await got)).toEqual({ heartbeatIntervalS: 120 });
    // Clear the retained config so the broker does not keep it after the test.
    await s.deviceClient.publishAsync(`v1/devices/${s.device.id}/config`, '', { qos: 1, retain: true });
  });
});
