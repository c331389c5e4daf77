import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/index.ts';
import { type EngineName, freshStore, type TestStore } from './fixtures/databases.ts';
import { killHard, type ServerProcess, startServerProcess } from './fixtures/ingest-process.ts';
import { MqttProxy } from './fixtures/ingest-proxy.ts';
import { alarm, type DeviceCredentials, registerDevice } from './fixtures/mqtt.ts';

/**
 * P1, with real processes: Centinela is killed with SIGKILL around the moment a panic button's
 * alarm is acknowledged, restarted on the same database, and the device — an ordinary mqtt.js
 * client that retransmits unacknowledged QoS 1 messages on reconnect — must end up with
 * exactly one stored alarm.
 */
/** Two starts of a child Centinela per test; on a busy 2-core machine each may take ~10 s. */
const CHILD_PROCESS_TIMEOUT = 120_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

interface Rig {
  db: TestStore;
  device: DeviceCredentials;
  proxy: MqttProxy;
  server: ServerProcess;
  client: MqttClient;
}

async function rig(engine: EngineName): Promise<Rig> {
  const db = await freshStore(engine);
  cleanups.push(() => db.cleanup());
  const device = await registerDevice(db.repos, `pb-crash-${engine}`);
  const server = await startServerProcess(db.env);
  cleanups.push(() => killHard(server));
  const proxy = new MqttProxy(server.mqttPort);
  const proxyPort = await proxy.start();
  cleanups.push(() => proxy.stop());
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${proxyPort}`, {
    clientId: device.id,
    username: device.id,
    password: device.secret,
    protocolVersion: 4,
    clean: false,
    reconnectPeriod: 200,
  });
  cleanups.push(() => client.endAsync(true));
  return { db, device, proxy, server, client };
}

/** Restarts Centinela on the same database and points the device's path at it. */
async function restart(r: Rig): Promise<ServerProcess> {
  const server = await startServerProcess(r.db.env);
  cleanups.push(() => killHard(server));
  r.proxy.target = server.mqttPort;
  return server;
}

/** The alarms stored for the device, read from the database as an operator's console would. */
async function storedAlarms(r: Rig) {
  const store =
    r.db.engine === 'sqlite' ? await openStore({ kind: 'sqlite', file: `${r.db.env.CENTINELA_DATA_DIR}/centinela.db` }) : r.db.store;
  try {
    return await store.db.selectFrom('alarms').select(['kind', 'press_count']).where('device_id', '=', r.device.id).execute();
  } finally {
    if (r.db.engine === 'sqlite') await store.close();
  }
}

const publishWithPuback = (client: MqttClient, topic: string, payload: string) =>
  new Promise<void>((resolve, reject) => client.publish(topic, payload, { qos: 1 }, (err) => (err ? reject(err) : resolve())));

describe.each(['sqlite', 'postgres'] as const)('an alarm across kill -9 of Centinela (%s)', (engine) => {
  it(
    'is there after restart when the device had its PUBACK',
    async () => {
      const r = await rig(engine);
      await r.client.publishAsync(`v1/devices/${r.device.id}/alarm`, alarm('acked-then-killed'), { qos: 1 });
      await killHard(r.server);
      await restart(r);
      expect(await storedAlarms(r)).toEqual([{ kind: 'panic', press_count: 1 }]);
    },
    CHILD_PROCESS_TIMEOUT,
  );

  it(
    'is stored exactly once when Centinela dies after storing it but before the device gets PUBACK',
    async () => {
      const r = await rig(engine);
      r.proxy.swallowPubacks = true;
      const pubackLost = r.proxy.next('puback');
      const delivered = publishWithPuback(r.client, `v1/devices/${r.device.id}/alarm`, alarm('stored-puback-lost'));
      // Centinela wrote PUBACK, so (P1) the alarm was on disk; the network loses it, then the process dies.
      await pubackLost;
      await killHard(r.server);
      r.proxy.swallowPubacks = false;
      await restart(r);
      await delivered; // the device retransmitted on reconnect and got its PUBACK this time
      expect(await storedAlarms(r)).toEqual([{ kind: 'panic', press_count: 1 }]);
    },
    CHILD_PROCESS_TIMEOUT,
  );

  it(
    'is stored exactly once when Centinela dies before it read the alarm',
    async () => {
      const r = await rig(engine);
      // Frozen, Centinela cannot read the PUBLISH now on its socket; then it is killed.
      r.server.child.kill('SIGSTOP');
      const forwarded = r.proxy.next('publish');
      const delivered = publishWithPuback(r.client, `v1/devices/${r.device.id}/alarm`, alarm('never-read'));
      await forwarded;
      await killHard(r.server);
      await restart(r);
      await delivered;
      expect(await storedAlarms(r)).toEqual([{ kind: 'panic', press_count: 1 }]);
    },
    CHILD_PROCESS_TIMEOUT,
  );
});
