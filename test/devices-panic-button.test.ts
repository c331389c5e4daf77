import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { PanicButtonSimulator } from '../devices/simulators/panic-button.ts';
import type { SimEvent } from '../devices/simulators/types.ts';
import { BrokerProbe, TEST_BROKER_URL, uniqueDeviceId } from '../devices/testing/broker-probe.ts';
import { CutProxy } from '../devices/testing/cut-proxy.ts';
import { alarmPayloadSchema, deviceEventSchema, heartbeatSchema } from '../src/domain/wire.ts';

// 600× speed: the catalogue's 60 s heartbeat arrives every 100 ms.
const SPEED = 600;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function probeFor(id: string): Promise<BrokerProbe> {
  const probe = await BrokerProbe.connect();
  await probe.subscribe(`v1/devices/${id}/#`);
  cleanups.push(async () => {
    await probe.clearRetained(`v1/devices/${id}/status`);
    await probe.close();
  });
  return probe;
}

function button(id: string, extra: Partial<ConstructorParameters<typeof PanicButtonSimulator>[0]> = {}): PanicButtonSimulator {
  const sim = new PanicButtonSimulator({ url: TEST_BROKER_URL, id, secret: 'not-checked-by-mosquitto', seed: 7, speed: SPEED, ...extra });
  cleanups.push(() => sim.stop());
  return sim;
}

beforeAll(async () => {
  // Fails the suite loudly when the broker is missing: these tests never skip.
  await (await BrokerProbe.connect()).close();
});

describe('panic button on a real broker', () => {
  test('announces itself online (retained) and sends heartbeats that parse, in sequence, no faster than its interval', async () => {
    const id = uniqueDeviceId('pb');
    const probe = await probeFor(id);
    const sim = button(id, { home: { lat: 19.1738, lon: -96.1342 } });
    await sim.start();
    const status = await probe.next((m) => m.topic.endsWith('/status') && m.text === 'online');
    expect(status.text).toBe('online');
    const beats = await probe.count(probe.on(`v1/devices/${id}/heartbeat`), 5);
    const parsed = beats.map((b) => heartbeatSchema.parse(b.json));
    expect(parsed.map((h) => h.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(parsed.every((h) => ['lte', '3g', '2g'].includes(h.signal.network) && h.loc !== undefined)).toBe(true);
    expect(sim.heartbeatIntervalS).toBe(60);
    // Four intervals at 600× are 400 ms of real time; timers never fire early (allow 1 ms each).
    expect((parsed[4]?.ts as number) - (parsed[0]?.ts as number)).toBeGreaterThanOrEqual(396);
    // A consumer that connects later still learns the device is online.
    const late = await BrokerProbe.connect();
    await late.subscribe(`v1/devices/${id}/status`);
    expect((await late.next(() => true)).retain).toBe(true);
    await late.close();
  });

  test('its socket killed without DISCONNECT, the broker delivers the last will "offline"', async () => {
    const id = uniqueDeviceId('pb');
    const probe = await probeFor(id);
    const sim = button(id);
    await sim.start();
    await probe.next((m) => m.topic.endsWith('/status') && m.text === 'online');
    sim.dropConnection();
    const will = await probe.next((m) => m.topic.endsWith('/status') && m.text === 'offline');
    expect(will.text).toBe('offline');
    expect(sim.connected).toBe(false);
  });

  test('an alarm pressed while the network is down is delivered after reconnection with the same id', async () => {
    const id = uniqueDeviceId('pb');
    const probe = await probeFor(id);
    const proxy = new CutProxy(TEST_BROKER_URL);
    await proxy.restore();
    cleanups.push(() => proxy.cut());
    const events: SimEvent[] = [];
    let onEvent: (e: SimEvent) => void = () => undefined;
    const sim = button(id, {
      url: proxy.url,
      reconnectPeriodMs: 50,
      onEvent: (e) => {
        events.push(e);
        onEvent(e);
      },
    });
    const wait = (type: SimEvent['type']) =>
      new Promise<SimEvent>((resolve) => {
        onEvent = (e) => e.type === type && resolve(e);
      });
    await sim.start();
    await probe.next((m) => m.topic.endsWith('/status') && m.text === 'online');

    await proxy.cut();
    await probe.next((m) => m.topic.endsWith('/status') && m.text === 'offline');
    const alarmId = sim.press();
    expect(sim.pendingAlarms.map((a) => a.payload.id)).toEqual([alarmId]);

    const acked = wait('alarm_puback');
    await proxy.restore();
    const alarm = await probe.next(probe.on(`v1/devices/${id}/alarm`));
    const payload = alarmPayloadSchema.parse(alarm.json);
    expect(payload.id).toBe(alarmId);
    expect(payload.kind).toBe('panic');
    await acked;
    expect(sim.pendingAlarms).toEqual([]);
    expect(events.filter((e) => e.type === 'alarm_pressed')).toHaveLength(1);
  });

  test('records the ack downlinks the centre sends about its alarm, and applies a config downlink', async () => {
    const id = uniqueDeviceId('pb');
    const probe = await probeFor(id);
    let acked: (alarmId: string) => void = () => undefined;
    let configured: () => void = () => undefined;
    const sim = button(id, {
      onEvent: (e) => {
        if (e.type === 'ack_received' && e.state === 'acknowledged') acked(e.alarmId);
        if (e.type === 'config_applied') configured();
      },
    });
    await sim.start();
    await probe.next((m) => m.topic.endsWith('/status') && m.text === 'online');
    const alarmId = sim.press('panic');
    await probe.next(probe.on(`v1/devices/${id}/alarm`));
    const gotAck = new Promise<string>((resolve) => {
      acked = resolve;
    });
    await probe.publish(`v1/devices/${id}/ack`, { alarmId, state: 'received' });
    await probe.publish(`v1/devices/${id}/ack`, { alarmId, state: 'acknowledged' });
    expect(await gotAck).toBe(alarmId);
    expect(sim.acks.map((a) => [a.alarmId, a.state])).toEqual([
      [alarmId, 'received'],
      [alarmId, 'acknowledged'],
    ]);
    const gotConfig = new Promise<void>((resolve) => {
      configured = resolve;
    });
    await probe.publish(`v1/devices/${id}/config`, { heartbeatIntervalS: 30 });
    await gotConfig;
    expect(sim.heartbeatIntervalS).toBe(30);
  });

  test('a dying button sends a last heartbeat at battery 0, then falls silent and the broker says offline', async () => {
    const id = uniqueDeviceId('pb');
    const probe = await probeFor(id);
    const sim = button(id);
    await sim.start();
    await probe.next((m) => m.topic.endsWith('/status') && m.text === 'online');
    sim.die();
    await sim.whenDead();
    const last = await probe.next((m) => m.topic.endsWith('/heartbeat') && heartbeatSchema.parse(m.json).battery === 0);
    expect(heartbeatSchema.parse(last.json).battery).toBe(0);
    await probe.next((m) => m.topic.endsWith('/status') && m.text === 'offline');
    expect(sim.dead).toBe(true);
  });

  test('a clean stop leaves "offline" retained and closes the connection', async () => {
    const id = uniqueDeviceId('pb');
    const probe = await probeFor(id);
    const sim = button(id);
    await sim.start();
    await probe.next((m) => m.topic.endsWith('/status') && m.text === 'online');
    await sim.stop();
    expect(sim.connected).toBe(false);
    const offline = await probe.next((m) => m.topic.endsWith('/status') && m.text === 'offline');
    expect(offline.text).toBe('offline');
  });

  test('the same seed gives the same readings; another seed gives others', async () => {
    const id = uniqueDeviceId('pb');
    const probe = await probeFor(id);
    const readings = async (seed: number, after: number): Promise<unknown[]> => {
      const sim = new PanicButtonSimulator({ url: TEST_BROKER_URL, id, seed, speed: SPEED, home: { lat: 17.06, lon: -96.72 } });
      await sim.start();
      const beats = await probe.count((m) => m.topic.endsWith('/heartbeat') && probe.messages.indexOf(m) >= after, 4);
      await sim.stop();
      return beats.map((b) => {
        const { ts: _ts, ...rest } = heartbeatSchema.parse(b.json);
        return rest;
      });
    };
    const first = await readings(1234, 0);
    const second = await readings(1234, probe.messages.length);
    const other = await readings(999, probe.messages.length);
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
  });

  test('a low battery raises a low_battery device event that parses', async () => {
    const id = uniqueDeviceId('pb');
    const probe = await probeFor(id);
    // 3600× speed: an hour per second, so a neglected button runs down within a few seconds.
    // A heartbeat every 10 simulated minutes: the battery runs down in about 200 readings.
    const sim = button(id, { speed: 36_000, heartbeatIntervalS: 600 });
    sim.neglect();
    await sim.start();
    const event = await probe.next(probe.on(`v1/devices/${id}/event`));
    expect(deviceEventSchema.parse(event.json).kind).toBe('low_battery');
  }, 60_000);
});
