import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCredential, hashSecret } from '../src/platform/index.ts';
import { systemActor } from '../src/store/index.ts';
import { type IngestTestCentinela, startIngestCentinela } from './fixtures/ingest-centinela.ts';
import {
  alarm,
  closed,
  connackCode,
  connectDevice,
  type DeviceCredentials,
  heartbeat,
  mosquittoPub,
  registerDevice,
} from './fixtures/mqtt.ts';

let t: IngestTestCentinela;
let pb1: DeviceCredentials;
let pb2: DeviceCredentials;

beforeAll(async () => {
  t = await startIngestCentinela('sqlite');
  pb1 = await registerDevice(t.centinela.repos, 'pb-auth-1');
  pb2 = await registerDevice(t.centinela.repos, 'pb-auth-2');
});
afterAll(async () => t?.stop());

describe('device authentication', () => {
  it('refuses a wrong secret with CONNACK 4', async () => {
    expect(await connackCode(t.mqttPort, { clientId: pb1.id, username: pb1.id, password: 'dev_wrong' })).toBe(4);
  });

  it('refuses an unknown device with CONNACK 4, also to mosquitto_pub', async () => {
    const res = await mosquittoPub([
      '-h',
      '127.0.0.1',
      '-p',
      String(t.mqttPort),
      '-i',
      'ghost',
      '-u',
      'ghost',
      '-P',
      'x',
      '-q',
      '1',
      '-t',
      'v1/devices/ghost/alarm',
      '-m',
      alarm('a1'),
    ]);
    expect(res.code).not.toBe(0);
    expect(res.output).toMatch(/bad user name or password/i);
  });

  it('refuses a client id that is not the username with CONNACK 5', async () => {
    expect(await connackCode(t.mqttPort, { clientId: 'someone-else', username: pb1.id, password: pb1.secret })).toBe(5);
  });

  it('accepts the right secret, and mosquitto_pub can raise an alarm with it', async () => {
    const res = await mosquittoPub([
      '-h',
      '127.0.0.1',
      '-p',
      String(t.mqttPort),
      '-i',
      pb1.id,
      '-u',
      pb1.id,
      '-P',
      pb1.secret,
      '-q',
      '1',
      '-t',
      `v1/devices/${pb1.id}/alarm`,
      '-m',
      alarm('mosq-1'),
    ]);
    expect(res).toMatchObject({ code: 0 });
    expect((await t.alarmsOf(pb1.id)).map((a) => a.kind)).toEqual(['panic']);
  });

  it('refuses the old secret as soon as it is rotated, even right after it connected', async () => {
    const dev = await registerDevice(t.centinela.repos, 'pb-rotate');
    expect(await connackCode(t.mqttPort, { clientId: dev.id, username: dev.id, password: dev.secret })).toBe(0);
    const fresh = generateCredential('dev');
    await t.centinela.repos.devices.rotateSecret(systemActor('test'), dev.id, await hashSecret(fresh));
    expect(await connackCode(t.mqttPort, { clientId: dev.id, username: dev.id, password: dev.secret })).toBe(4);
    expect(await connackCode(t.mqttPort, { clientId: dev.id, username: dev.id, password: fresh })).toBe(0);
  });

  it('refuses a retired device with CONNACK 5', async () => {
    const dev = await registerDevice(t.centinela.repos, 'pb-retired');
    await t.centinela.repos.devices.update(systemActor('test'), dev.id, { retiredAt: new Date(Date.now() - 1000).toISOString() });
    expect(await connackCode(t.mqttPort, { clientId: dev.id, username: dev.id, password: dev.secret })).toBe(5);
  });

  it('counts refused connections by reason', async () => {
    expect(await t.counter('centinela_auth_failures_total', { surface: 'mqtt', reason: 'bad_secret' })).toBeGreaterThan(0);
    expect(await t.counter('centinela_auth_failures_total', { surface: 'mqtt', reason: 'unknown_account' })).toBeGreaterThan(0);
  });
});

describe('the topic ACL', () => {
  it("disconnects a device that publishes on another device's topic, and raises nothing for the other", async () => {
    const client = await connectDevice(t.mqttPort, pb1);
    const gone = closed(client);
    client.publish(`v1/devices/${pb2.id}/alarm`, alarm('forged-1'), { qos: 1 });
    await gone;
    client.end(true);
    expect(await t.alarmsOf(pb2.id)).toEqual([]);
    expect(t.logs.some((l) => l.msg === 'publish refused by the topic ACL; disconnecting' && l.reason === 'foreign_device_topic')).toBe(
      true,
    );
  });

  it("refuses a subscription to another device's downlink but grants its own", async () => {
    const client = await connectDevice(t.mqttPort, pb1);
    try {
      // mqtt.js turns a SUBACK of 0x80 (failure) into a rejection carrying the packet.
      const grantedOf = (topic: string) =>
        client.subscribeAsync(topic, { qos: 1 }).catch((err: { packet?: { granted?: number[] } }) => err.packet?.granted);
      expect(await grantedOf(`v1/devices/${pb2.id}/ack`)).toEqual([128]);
      expect(await grantedOf('v1/devices/+/ack')).toEqual([128]);
      const own = await client.subscribeAsync(`v1/devices/${pb1.id}/ack`, { qos: 1 });
      expect(own.map((g) => g.qos)).toEqual([1]);
    } finally {
      await client.endAsync();
    }
  });

  it('delivers an acknowledgement state to the device that subscribed to its downlink', async () => {
    const client = await connectDevice(t.mqttPort, pb2);
    try {
      await client.subscribeAsync(`v1/devices/${pb2.id}/ack`, { qos: 1 });
      const received = new Promise<{ topic: string; body: unknown }>((resolve) =>
        client.once('message', (topic, payload) => resolve({ topic, body: JSON.parse(payload.toString()) })),
      );
      t.centinela.events.emit('downlink.requested', {
        deviceId: pb2.id,
        topic: 'ack',
        payload: { alarmId: 'alm_1', state: 'acknowledged' },
        retain: false,
      });
      expect(await received).toEqual({ topic: `v1/devices/${pb2.id}/ack`, body: { alarmId: 'alm_1', state: 'acknowledged' } });
    } finally {
      await client.endAsync();
    }
  });
});

describe('the packet guard', () => {
  it('closes a connection that sends a 100 KiB packet, counts it, and stays up for everyone else', async () => {
    const client = await connectDevice(t.mqttPort, pb1);
    const gone = closed(client);
    client.publish(`v1/devices/${pb1.id}/heartbeat`, Buffer.alloc(100 * 1024, 0x61), { qos: 0 });
    await gone;
    client.end(true);
    expect(await t.counter('centinela_mqtt_packets_refused_total', { reason: 'too_large' })).toBe(1);

    const again = await connectDevice(t.mqttPort, pb2);
    await again.publishAsync(`v1/devices/${pb2.id}/alarm`, alarm('after-big-packet'), { qos: 1 });
    await again.endAsync();
    expect((await t.alarmsOf(pb2.id)).length).toBe(1);
  });

  it('refuses a raw socket announcing a huge CONNECT before any authentication', async () => {
    const before = await t.counter('centinela_mqtt_packets_refused_total', { reason: 'too_large' });
    const socket = net.connect(t.mqttPort, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    // CONNECT with remaining length 268435455 (the MQTT maximum): 0xff 0xff 0xff 0x7f.
    socket.write(Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f]));
    await new Promise<void>((r) => socket.once('close', () => r()));
    expect(await t.counter('centinela_mqtt_packets_refused_total', { reason: 'too_large' })).toBe(before + 1);
  });

  it('lets a heartbeat from a device through right after', async () => {
    const client = await connectDevice(t.mqttPort, pb1);
    await client.publishAsync(`v1/devices/${pb1.id}/heartbeat`, heartbeat(1), { qos: 1 });
    await client.endAsync();
  });
});
