import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedCase } from './fixtures/alerts-world.ts';
import { type Cluster, connectClusterDevice, openStream, startCluster, within } from './fixtures/cluster.ts';

/**
 * Issue 8: three `centinela serve` nodes on one PostgreSQL schema and one Redis database. A
 * device on one node, an operator on another: what each of them notices.
 */
const NODE_START_MS = 120_000;
let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ nodes: ['a', 'b', 'c'] });
}, NODE_START_MS);
afterAll(async () => {
  await cluster?.stop();
}, 60_000);

const portOf = (name: string) => {
  const port = cluster.node(name).mqttPort;
  if (port === undefined) throw new Error(`node ${name} runs no embedded broker`);
  return port;
};

describe('three nodes sharing PostgreSQL and Redis', () => {
  test('a panic alarm raised on node A and acknowledged by an operator on node B reaches the device as acknowledged', async () => {
    const kase = await seedCase({ repos: cluster.db.repos });
    const device = await connectClusterDevice([portOf('a')], kase.deviceId, 's');
    try {
      await device.publish('alarm', { id: 'press-1', ts: new Date().toISOString(), kind: 'panic' });
      const received = await within(
        device.waitForAck((a) => a.state === 'received'),
        20_000,
        'the "received" downlink from node A',
      );

      const ack = await cluster.node('b').api('POST', `/api/alarms/${received.alarmId}/acknowledge`, cluster.tokens.operator, {});
      expect(ack.status, JSON.stringify(ack.body)).toBe(200);
      expect(ack.body).toMatchObject({ id: received.alarmId, state: 'acknowledged' });

      // Node B publishes the downlink into its own broker; Redis carries it to node A's client.
      const acknowledged = await within(
        device.waitForAck((a) => a.alarmId === received.alarmId && a.state === 'acknowledged'),
        20_000,
        'the "acknowledged" downlink, published on node B, at the device on node A',
      );
      expect(acknowledged).toEqual({ alarmId: received.alarmId, state: 'acknowledged' });
      const rows = await cluster.db.store.db.selectFrom('alarms').select(['id', 'state']).where('device_id', '=', kase.deviceId).execute();
      expect(rows).toEqual([{ id: received.alarmId, state: 'acknowledged' }]);
    } finally {
      await device.end();
    }
  }, 90_000);

  test("an operator watching node B's live stream sees an alarm raised on node A", async () => {
    const kase = await seedCase({ repos: cluster.db.repos });
    const streamB = await openStream(cluster.node('b').httpUrl, cluster.tokens.operator);
    const streamA = await openStream(cluster.node('a').httpUrl, cluster.tokens.operator);
    const device = await connectClusterDevice([portOf('a')], kase.deviceId, 's');
    try {
      await device.publish('alarm', { id: 'press-1', ts: new Date().toISOString(), kind: 'panic' });
      const { alarmId } = await within(
        device.waitForAck((a) => a.state === 'received'),
        20_000,
        'the "received" downlink',
      );
      // Node A's own console shows it: the alarm was opened and escalated there.
      await within(
        streamA.waitFor((e) => e.event === 'alarm.opened' && e.data.alarmId === alarmId),
        10_000,
        "alarm.opened on node A's stream",
      );
      const seenOnB = await within(
        streamB.waitFor((e) => e.event === 'alarm.opened' && e.data.alarmId === alarmId),
        10_000,
        "alarm.opened on node B's stream (relayed from node A through Redis)",
      );
      expect(seenOnB.data).toMatchObject({ alarmId, deviceId: kase.deviceId, kind: 'panic' });
    } finally {
      streamA.close();
      streamB.close();
      await device.end();
    }
  }, 90_000);
});
