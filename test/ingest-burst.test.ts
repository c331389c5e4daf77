import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestTestCentinela, startIngestCentinela } from './fixtures/ingest-centinela.ts';
import { alarm, connectDevice, heartbeat, registerDevice } from './fixtures/mqtt.ts';

let t: IngestTestCentinela;
const clients: MqttClient[] = [];

beforeAll(async () => {
  t = await startIngestCentinela('sqlite');
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await t?.stop();
});

describe('a burst of heartbeats', () => {
  it('accounts for all 10,000 heartbeats from 100 devices and loses no concurrent alarm', async () => {
    const devices = await Promise.all(Array.from({ length: 100 }, (_, i) => registerDevice(t.centinela.repos, `pb-burst-${i}`)));
    // Ten at a time: each connect costs a ~30 ms scrypt check on a 2-core machine.
    for (let i = 0; i < devices.length; i += 10) {
      clients.push(...(await Promise.all(devices.slice(i, i + 10).map((d) => connectDevice(t.mqttPort, d, { connectTimeout: 30_000 })))));
    }
    const button = await registerDevice(t.centinela.repos, 'pb-burst-alarm');
    const pressing = await connectDevice(t.mqttPort, button);
    clients.push(pressing);

    const burst = Promise.all(
      clients
        .slice(0, 100)
        .map((c, i) =>
          Promise.all(
            Array.from({ length: 100 }, (_, seq) => c.publishAsync(`v1/devices/pb-burst-${i}/heartbeat`, heartbeat(seq), { qos: 1 })),
          ),
        ),
    );
    // The panic button is pressed while the burst is under way; its PUBACK must come.
    await pressing.publishAsync(`v1/devices/${button.id}/alarm`, alarm('during-burst'), { qos: 1 });
    await burst;

    expect((await t.alarmsOf(button.id)).map((a) => [a.kind, a.press_count])).toEqual([['panic', 1]]);
    // Every heartbeat was either taken or shed and counted: none vanished unaccounted.
    const taken = await t.counter('centinela_ingest_messages_total', { kind: 'heartbeat' });
    const shed = await t.counter('centinela_ingest_heartbeats_shed_total');
    expect(taken + shed).toBe(10_000);
    // Per-device throttling keeps a flooding device's first heartbeats, and every device is heard.
    const res = await fetch(`${t.centinela.httpUrl}/api/devices/pb-burst-7/telemetry`, {
      headers: { authorization: `Bearer ${t.tokens.technician}` },
    });
    const { points } = (await res.json()) as { points: { seq: number }[] };
    expect(points.length).toBeGreaterThan(0);
    const stored = await t.db
      .selectFrom('telemetry')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(taken);
  }, 120_000);
});
