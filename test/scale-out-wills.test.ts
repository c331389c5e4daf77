import mqtt from 'mqtt';
import { afterEach, describe, expect, test } from 'vitest';
import { hashSecret } from '../src/platform/index.ts';
import { systemActor } from '../src/store/index.ts';
import { seedCase } from './fixtures/alerts-world.ts';
import { type Cluster, type ClusterNode, connectClusterDevice, counter, startCluster, within } from './fixtures/cluster.ts';
import { eventually } from './fixtures/ingest-wait.ts';

/**
 * Issue 11 §2 across nodes: when a node dies, a survivor publishes the last wills it stored in
 * Redis. A device that has connected again since, on another node, did not leave: its stale will
 * must not mark it disconnected, start the offline grace or feed the seizure rule. A device that
 * did not come back has only that will to say it is gone: it must still be reported.
 *
 * Nodes tell each other they are alive every second here (CENTINELA_MQTT_NODE_HEARTBEAT_S), so a
 * dead node's wills come out within seconds instead of minutes.
 */
const WINDOW = { heartbeatIntervalS: 5, offlineAfterS: 15 };

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
}, 60_000);

const q = (db: Cluster['db']) => db.store.db;
const deadNodeWills = async (nodes: ClusterNode[], outcome: 'departure' | 'stale') => {
  let total = 0;
  for (const n of nodes) total += counter(await n.metrics(), 'centinela_ingest_dead_node_wills_total', `outcome="${outcome}"`);
  return total;
};

describe("a dead node's last wills", () => {
  test('a device that moved to another node is not reported leaving; one that did not come back is, once, and goes offline', async () => {
    cluster = await startCluster({ nodes: ['a', 'b', 'c'], env: { CENTINELA_MQTT_NODE_HEARTBEAT_S: '1' } });
    const { db } = cluster;
    const [a, b, c] = ['a', 'b', 'c'].map((n) => cluster?.node(n) as ClusterNode) as [ClusterNode, ClusterNode, ClusterNode];
    const port = (n: ClusterNode) => n.mqttPort as number;
    const q = db.store.db;

    // Two people, each with a short-window device connected to node A and an alarm open.
    const register = async () => {
      const kase = await seedCase({ repos: db.repos });
      const id = `${kase.deviceId}-w`;
      await db.repos.devices.create(
        systemActor('test'),
        { id, modelId: 'panic-button', beneficiaryId: kase.beneficiary.id, stateCode: 'GRO', ...WINDOW },
        await hashSecret('s'),
      );
      return id;
    };
    const movingId = await register();
    const stayingId = await register();
    // The moving device knows node C as its fallback; the other knows only A.
    const moving = await connectClusterDevice([port(a), port(c)], movingId, 's');
    const staying = await connectClusterDevice([port(a)], stayingId, 's');
    const raise = async (device: typeof moving) => {
      await device.publish('alarm', { id: 'press-1', ts: new Date().toISOString(), kind: 'panic' });
      return (
        await within(
          device.waitForAck((x) => x.state === 'received'),
          20_000,
          'the alarm to be received',
        )
      ).alarmId;
    };
    const movingAlarm = await raise(moving);
    const stayingAlarm = await raise(staying);

    // ---- kill -9 node A; the moving device reconnects to C and keeps talking ----
    const reconnected = moving.nextConnect();
    await a.kill();
    const killedAt = Date.now();
    await within(reconnected, 30_000, 'the moving device to reconnect to node C');
    let seq = 0;
    const beat = () => moving.publish('heartbeat', { ts: Date.now(), seq: ++seq, battery: 80, signal: { network: 'lte', rssi: -70 } });
    await beat();
    const beating = setInterval(() => void beat().catch(() => {}), 2_000);
    try {
      // ---- B and C publish A's stored wills: one departure (the staying device), the rest stale ----
      await within(
        eventually(async () => (await deadNodeWills([b, c], 'departure')) >= 1 && (await deadNodeWills([b, c], 'stale')) >= 1, 30_000),
        35_000,
        "node A's wills to be published by the survivors",
      );
      // The staying device: reported leaving once, then offline when it did not come back (as before).
      await within(
        eventually(async () => {
          const rows = await q
            .selectFrom('health_intervals')
            .select('state')
            .where('device_id', '=', stayingId)
            .where('state', '=', 'offline')
            .execute();
          return rows.length > 0;
        }, 40_000),
        45_000,
        'the device that did not come back to be found offline',
      );
      // The seizure rule heard the will and the silence that confirmed it.
      await within(
        eventually(async () => (await db.repos.alarms.require(stayingAlarm)).severity === 'critical', 20_000),
        25_000,
        'the alarm of the device that vanished to be raised as a possible seizure',
      );
    } finally {
      clearInterval(beating);
    }
    // Both survivors published each of A's wills: the departure was claimed once.
    expect(await deadNodeWills([b, c], 'departure')).toBe(1);

    // ---- the moving device: never disconnected, never offline, no seizure ----
    const movingStates = await q
      .selectFrom('health_intervals')
      .select(['state', 'started_at'])
      .where('device_id', '=', movingId)
      .where('started_at', '>=', killedAt - 60_000)
      .execute();
    expect(movingStates.map((s) => s.state).filter((s) => s === 'disconnected' || s === 'offline')).toEqual([]);
    const movingAlarmNow = await db.repos.alarms.require(movingAlarm);
    expect(movingAlarmNow.severity).not.toBe('critical');

    const stayingStates = (
      await q.selectFrom('health_intervals').select(['state']).where('device_id', '=', stayingId).orderBy('started_at').execute()
    ).map((s) => s.state);
    expect(stayingStates.slice(-2)).toEqual(['disconnected', 'offline']);

    await moving.end();
    await staying.client.endAsync(true);
  }, 180_000);

  test('a device that reconnects to another node while its old connection is still open takes over: no departure', async () => {
    cluster = await startCluster({ nodes: ['a', 'c'], env: { CENTINELA_MQTT_NODE_HEARTBEAT_S: '1' } });
    const { db } = cluster;
    const [a, c] = ['a', 'c'].map((n) => cluster?.node(n) as ClusterNode) as [ClusterNode, ClusterNode];
    const kase = await seedCase({ repos: db.repos });
    const id = `${kase.deviceId}-t`;
    await db.repos.devices.create(
      systemActor('test'),
      { id, modelId: 'panic-button', beneficiaryId: kase.beneficiary.id, stateCode: 'GRO', ...WINDOW },
      await hashSecret('s'),
    );
    // A device behind a carrier NAT that lost its path: its old connection on A still looks open
    // when it connects again, through the load balancer, to C.
    const connect = (node: ClusterNode) =>
      mqtt.connectAsync({
        host: '127.0.0.1',
        port: node.mqttPort as number,
        clientId: id,
        username: id,
        password: 's',
        protocolVersion: 4,
        clean: false,
        reconnectPeriod: 0,
        will: { topic: `v1/devices/${id}/status`, payload: Buffer.from('offline'), qos: 1, retain: true },
      });
    const old = await connect(a);
    await old.publishAsync(`v1/devices/${id}/status`, 'online', { qos: 1, retain: true });
    const closedOld = new Promise<void>((resolve) => old.once('close', () => resolve()));
    const fresh = await connect(c);
    await within(closedOld, 15_000, 'node A to close the old connection');
    await fresh.publishAsync(
      `v1/devices/${id}/heartbeat`,
      JSON.stringify({ ts: Date.now(), seq: 1, battery: 80, signal: { network: 'lte', rssi: -70 } }),
      { qos: 1 },
    );

    // Then it really vanishes from C: that departure is reported (and bounds the wait for any other).
    const vanishedAt = Date.now();
    fresh.stream.destroy();
    const disconnections = async () =>
      q(db).selectFrom('health_intervals').select(['started_at']).where('device_id', '=', id).where('state', '=', 'disconnected').execute();
    await within(
      eventually(async () => (await disconnections()).length > 0, 20_000),
      25_000,
      'the real departure from node C to be reported',
    );
    await within(
      eventually(async () => {
        const rows = await q(db)
          .selectFrom('health_intervals')
          .select('state')
          .where('device_id', '=', id)
          .where('state', '=', 'offline')
          .execute();
        return rows.length > 0;
      }, 30_000),
      35_000,
      'the vanished device to be found offline',
    );
    const found = await disconnections();
    // One departure, the real one: the takeover on A was not taken for the device leaving.
    expect(found).toHaveLength(1);
    expect(Number(found[0]?.started_at)).toBeGreaterThanOrEqual(vanishedAt - 1_000);
    await old.endAsync(true);
  }, 120_000);
});
