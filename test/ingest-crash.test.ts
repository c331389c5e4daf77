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
  proxyPort: number;
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
  return { db, device, proxy, proxyPort, server, client };
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
  return storedAlarmsOf(r, r.device.id);
}

async function storedAlarmsOf(r: Rig, deviceId: string) {
  const store =
    r.db.engine === 'sqlite' ? await openStore({ kind: 'sqlite', file: `${r.db.env.CENTINELA_DATA_DIR}/centinela.db` }) : r.db.store;
  try {
    return await store.db.selectFrom('alarms').select(['kind', 'press_count']).where('device_id', '=', deviceId).execute();
  } finally {
    if (r.db.engine === 'sqlite') await store.close();
  }
}

const publishWithPuback = (client: MqttClient, topic: string, payload: string) =>
  new Promise<void>((resolve, reject) => client.publish(topic, payload, { qos: 1 }, (err) => (err ? reject(err) : resolve())));

/** The sum and count of a Prometheus histogram, read from a running Centinela's /metrics. */
async function histogram(server: ServerProcess, name: string): Promise<{ sum: number; count: number }> {
  const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
  const read = (suffix: string) => Number(new RegExp(`^${name}_${suffix} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { sum: read('sum'), count: read('count') };
}

/** More devices on the rig's proxy, each an ordinary mqtt.js client that retransmits on reconnect. */
async function moreDevices(r: Rig, n: number): Promise<{ device: DeviceCredentials; client: MqttClient }[]> {
  const out: { device: DeviceCredentials; client: MqttClient }[] = [];
  for (let i = 0; i < n; i++) {
    const device = await registerDevice(r.db.repos, `${r.device.id}-${i}`);
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${r.proxyPort}`, {
      clientId: device.id,
      username: device.id,
      password: device.secret,
      protocolVersion: 4,
      clean: false,
      reconnectPeriod: 200,
    });
    cleanups.push(() => client.endAsync(true));
    out.push({ device, client });
  }
  return out;
}

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

  it(
    'keeps every alarm of a shared commit when Centinela dies after the commit and before the PUBACKs arrive',
    async () => {
      const r = await rig(engine);
      const fleet = [{ device: r.device, client: r.client }, ...(await moreDevices(r, 5))];
      r.proxy.swallowPubacks = true;
      let pubacks = 0;
      const allAcked = new Promise<void>((resolve) =>
        r.proxy.on('puback', () => {
          pubacks += 1;
          if (pubacks === fleet.length) resolve();
        }),
      );
      // Frozen, Centinela cannot read the PUBLISHes; thawed, it reads them in one go and they
      // share a commit (P1: every PUBACK is written after the commit that holds its alarm).
      r.server.child.kill('SIGSTOP');
      const forwarded = new Promise<void>((resolve) => {
        let n = 0;
        r.proxy.on('publish', () => {
          n += 1;
          if (n === fleet.length) resolve();
        });
      });
      const delivered = fleet.map((f) => publishWithPuback(f.client, `v1/devices/${f.device.id}/alarm`, alarm(`shared-${f.device.id}`)));
      await forwarded;
      r.server.child.kill('SIGCONT');
      await allAcked;
      const commits = await histogram(r.server, 'centinela_ingest_alarms_per_commit');
      expect(commits.sum).toBe(fleet.length);
      expect(commits.count).toBeLessThan(fleet.length);
      await killHard(r.server);
      r.proxy.swallowPubacks = false;
      await restart(r);
      await Promise.all(delivered);
      for (const f of fleet) expect(await storedAlarmsOf(r, f.device.id)).toEqual([{ kind: 'panic', press_count: 1 }]);
    },
    CHILD_PROCESS_TIMEOUT,
  );
});
