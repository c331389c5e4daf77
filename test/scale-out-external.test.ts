import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { afterEach, describe, expect, test } from 'vitest';
import { type Cluster, counter, MOSQUITTO_URL, requireMosquitto, startCluster, within } from './fixtures/cluster.ts';
import { eventually } from './fixtures/ingest-wait.ts';
import { registerDevice } from './fixtures/mqtt.ts';

/**
 * Issue 8 §4: two Centinela nodes consume one shared subscription of the machine's real
 * Mosquitto. Unique device ids, consumer client ids and share group keep other suites' traffic
 * out; the consumers' persistent sessions are removed at the end.
 */
const DEVICES = 4;
const HEARTBEATS_EACH = 10;

let cluster: Cluster | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  // Nodes first: a consumer still running would take its session back after we removed it.
  await cluster?.stop();
  cluster = undefined;
  for (const c of cleanups.splice(0).reverse()) await c().catch((err: unknown) => console.error('cleanup:', err));
}, 60_000);

/**
 * Two consumers' MQTT_URLs in a share group of their own, so other suites' traffic stays out.
 * Their persistent sessions are forgotten at the end, or Mosquitto keeps queueing for them for a day.
 */
function shareGroup(name: string): { tag: string; urls: [string, string] } {
  const tag = randomBytes(4).toString('hex');
  const consumerIds = [`centinela-${name}-${tag}-1`, `centinela-${name}-${tag}-2`] as const;
  cleanups.push(async () => {
    for (const clientId of consumerIds) {
      const c = await mqtt.connectAsync(MOSQUITTO_URL, {
        clientId,
        protocolVersion: 5,
        clean: true,
        properties: { sessionExpiryInterval: 0 },
      });
      await c.endAsync();
    }
  });
  const mqttUrl = (clientId: string) => `${MOSQUITTO_URL}?clientId=${clientId}&shareGroup=${name}-${tag}`;
  return { tag, urls: [mqttUrl(consumerIds[0]), mqttUrl(consumerIds[1])] };
}

describe('two Centinela consumers on one shared subscription of an external broker', () => {
  test('each alarm and each heartbeat is processed once between them, and both take a share', async () => {
    await requireMosquitto();
    const group = shareGroup('scale');
    cluster = await startCluster({ nodes: [] });
    const [one, two] = await Promise.all([
      cluster.start('one', { MQTT_URL: group.urls[0] }),
      cluster.start('two', { MQTT_URL: group.urls[1] }),
    ]);
    for (const node of [one, two]) {
      expect(node.serve.logs.some((l) => l.msg === 'consuming from the external MQTT broker')).toBe(true);
    }

    const ids = Array.from({ length: DEVICES }, (_, i) => `pb-scale-${group.tag}-${i}`);
    for (const id of ids) await registerDevice(cluster.db.repos, id);
    const devices = await Promise.all(
      ids.map((id) => mqtt.connectAsync(MOSQUITTO_URL, { clientId: id, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 10_000 })),
    );
    cleanups.push(async () => {
      await Promise.all(devices.map((d) => d.endAsync(true)));
    });

    // One alarm and ten heartbeats per device, at QoS 1, all at once.
    await Promise.all(
      devices.map(async (d, i) => {
        const id = ids[i] as string;
        const sends = [
          d.publishAsync(`v1/devices/${id}/alarm`, JSON.stringify({ id: `press-${i}`, ts: Date.now(), kind: 'panic' }), { qos: 1 }),
        ];
        for (let seq = 1; seq <= HEARTBEATS_EACH; seq++) {
          const hb = { ts: Date.now(), seq, battery: 90, signal: { network: 'lte', rssi: -70 } };
          sends.push(d.publishAsync(`v1/devices/${id}/heartbeat`, JSON.stringify(hb), { qos: 1 }));
        }
        await Promise.all(sends);
      }),
    );

    const expected = DEVICES * HEARTBEATS_EACH;
    const telemetryRows = () =>
      cluster?.db.store.db
        .selectFrom('telemetry')
        .select(['device_id', 'seq'])
        .where('device_id', 'in', ids)
        .where('kind', '=', 'heartbeat')
        .execute() ?? Promise.resolve([]);
    // Telemetry is written in batches of up to a second; the alarms before their PUBACK.
    await within(
      eventually(async () => (await telemetryRows()).length >= expected, 60_000),
      65_000,
      `${expected} heartbeats in the telemetry table`,
    );

    const [m1, m2] = await Promise.all([one.metrics(), two.metrics()]);
    const heartbeatsBy = [m1, m2].map((m) => counter(m, 'centinela_ingest_messages_total', 'kind="heartbeat"'));
    const alarmsOpenedBy = [m1, m2].map((m) => counter(m, 'centinela_ingest_alarms_total', 'outcome="opened"'));
    const duplicatesBy = [m1, m2].map((m) => counter(m, 'centinela_ingest_alarms_total', 'outcome="duplicate"'));
    const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0);
    expect(sum(heartbeatsBy)).toBe(expected);
    expect(sum(alarmsOpenedBy)).toBe(DEVICES);
    // A message delivered to both consumers would show here as a recognised retransmission.
    expect(duplicatesBy).toEqual([0, 0]);
    // Shared, not one idle: Mosquitto hands the messages out in turn.
    expect(heartbeatsBy.every((n) => n > 0)).toBe(true);

    // A clean stop writes what health buffers (heartbeat counts per device and day).
    await Promise.all([one.stop(), two.stop()]);
    const db = cluster.db.store.db;
    const rows = await telemetryRows();
    expect(rows).toHaveLength(expected);
    expect(new Set(rows.map((r) => `${r.device_id}/${r.seq}`)).size).toBe(expected);
    const alarms = await db.selectFrom('alarms').select(['device_id', 'press_count']).where('device_id', 'in', ids).execute();
    expect(alarms.map((a) => a.device_id).sort()).toEqual([...ids].sort());
    expect(alarms.every((a) => Number(a.press_count) === 1)).toBe(true);
    const counted = await db.selectFrom('health_heartbeat_days').select('received').where('device_id', 'in', ids).execute();
    expect(counted.reduce((sum, r) => sum + Number(r.received), 0)).toBe(expected);
  }, 180_000);

  test("a device's last will is reported as its departure by whichever node the share group hands it to", async () => {
    await requireMosquitto();
    const group = shareGroup('wills');
    cluster = await startCluster({ nodes: [] });
    // Registered before the nodes start, so the supervising one has them from its first look.
    const ids = Array.from({ length: DEVICES }, (_, i) => `pb-wills-${group.tag}-${i}`);
    for (const id of ids) await registerDevice(cluster.db.repos, id);
    await Promise.all([cluster.start('one', { MQTT_URL: group.urls[0] }), cluster.start('two', { MQTT_URL: group.urls[1] })]);
    // Each device says `online`, then vanishes: Mosquitto publishes its will, `offline`. The two
    // consumers take the messages in turn, so most wills reach the node that did not hear the `online`.
    for (const id of ids) {
      const d = await mqtt.connectAsync(MOSQUITTO_URL, {
        clientId: id,
        protocolVersion: 4,
        reconnectPeriod: 0,
        will: { topic: `v1/devices/${id}/status`, payload: Buffer.from('offline'), qos: 1, retain: false },
      });
      await d.publishAsync(`v1/devices/${id}/status`, 'online', { qos: 1 });
      d.stream.destroy();
    }
    const departed = async () =>
      new Set(
        (
          (await cluster?.db.store.db
            .selectFrom('health_intervals')
            .select('device_id')
            .where('device_id', 'in', ids)
            .where('state', '=', 'disconnected')
            .execute()) ?? []
        ).map((r) => r.device_id),
      );
    await within(
      eventually(async () => (await departed()).size === ids.length, 30_000),
      35_000,
      'every vanished device to be reported disconnected',
    );
    expect([...(await departed())].sort()).toEqual([...ids].sort());
  }, 120_000);

  test("a device that takes over its own session is online afterwards, though the old connection's will and the new `online` went to different nodes", async () => {
    await requireMosquitto();
    const group = shareGroup('takeover');
    cluster = await startCluster({ nodes: [] });
    const id = `pb-takeover-${group.tag}`;
    await registerDevice(cluster.db.repos, id);
    await Promise.all([cluster.start('one', { MQTT_URL: group.urls[0] }), cluster.start('two', { MQTT_URL: group.urls[1] })]);
    // The device reconnects before the broker noticed its old connection gone (a new cell, a new
    // address): Mosquitto ends the old one, publishes its will, and the new one says `online` —
    // milliseconds apart, in that order.
    const options = {
      clientId: id,
      protocolVersion: 4 as const,
      reconnectPeriod: 0,
      will: { topic: `v1/devices/${id}/status`, payload: Buffer.from('offline'), qos: 1 as const, retain: false },
    };
    const old = await mqtt.connectAsync(MOSQUITTO_URL, options);
    await old.publishAsync(`v1/devices/${id}/status`, 'online', { qos: 1 });
    const renewed = await mqtt.connectAsync(MOSQUITTO_URL, options);
    cleanups.push(async () => {
      old.end(true);
      await renewed.endAsync(true);
    });
    await renewed.publishAsync(`v1/devices/${id}/status`, 'online', { qos: 1 });
    const intervals = async () =>
      (await cluster?.db.store.db
        .selectFrom('health_intervals')
        .select(['state', 'ended_at'])
        .where('device_id', '=', id)
        .orderBy('started_at')
        .orderBy('id')
        .execute()) ?? [];
    // The will was reported (the old connection did end) and the new connection after it.
    await within(
      eventually(async () => (await intervals()).some((r) => r.state === 'disconnected' && r.ended_at !== null), 30_000),
      35_000,
      'the departure and the return to be recorded',
    );
    const rows = await intervals();
    expect(rows.filter((r) => r.ended_at === null).map((r) => r.state)).toEqual(['online']);
  }, 120_000);
});
