import net from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventMap } from '../src/events/index.ts';
import { generateCredential, hashDeviceSecret } from '../src/platform/index.ts';
import { systemActor } from '../src/store/index.ts';
import { type IngestTestCentinela, startIngestCentinela } from './fixtures/ingest-centinela.ts';
import { eventually } from './fixtures/ingest-wait.ts';
import { alarm, connackCode, connectDevice, type DeviceCredentials, heartbeat, registerDevice } from './fixtures/mqtt.ts';

let t: IngestTestCentinela;
const clients: MqttClient[] = [];

beforeAll(async () => {
  t = await startIngestCentinela('sqlite');
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => {})));
});
afterAll(async () => t?.stop());

const storedHash = async (id: string) =>
  (await t.db.selectFrom('devices').select('secret_hash').where('id', '=', id).executeTakeFirstOrThrow()).secret_hash;

/** A device registered the way `POST /api/devices` does now (SHA-256 of its secret). */
async function registerFast(id: string): Promise<DeviceCredentials> {
  const secret = generateCredential('dev');
  await t.centinela.repos.devices.create(
    systemActor('test'),
    { id, modelId: 'panic-button', stateCode: 'VER', installedAt: new Date().toISOString() },
    hashDeviceSecret(secret),
  );
  return { id, secret };
}

/** Records every event of one name for one device until `stop` is called. */
function record<K extends 'device.disconnected' | 'device.connected'>(name: K, deviceId: string) {
  const seen: EventMap[K][] = [];
  const off = t.centinela.events.on(name, (e) => {
    if (e.deviceId === deviceId) seen.push(e);
  });
  return { seen, stop: off };
}

describe('device secrets', () => {
  it('lets a device whose secret was stored with scrypt in, and stores its secret as SHA-256 from then on', async () => {
    const dev = await registerDevice(t.centinela.repos, 'pb-old-hash', { legacyScrypt: true });
    expect(await storedHash(dev.id)).toMatch(/^scrypt\$/);
    clients.push(await connectDevice(t.mqttPort, dev));
    const upgraded = await eventually(async () => {
      const hash = await storedHash(dev.id);
      return hash.startsWith('sha256$') ? hash : undefined;
    });
    expect(upgraded).toBe(hashDeviceSecret(dev.secret));
    await clients.pop()?.endAsync();
    // The same secret still opens the door, and a wrong one still does not.
    clients.push(await connectDevice(t.mqttPort, dev));
    expect(await connackCode(t.mqttPort, { clientId: dev.id, username: dev.id, password: 'dev_wrong' })).toBe(4);
  });

  it('registers devices through the API with a SHA-256 secret that connects', async () => {
    const res = await fetch(`${t.centinela.httpUrl}/api/devices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'pb-api-hash', modelId: 'panic-button', stateCode: 'VER' }),
    });
    expect(res.status).toBe(201);
    const { secret } = (await res.json()) as { secret: string };
    expect(await storedHash('pb-api-hash')).toMatch(/^sha256\$[0-9a-f]{64}$/);
    clients.push(await connectDevice(t.mqttPort, { id: 'pb-api-hash', secret }));
  });
});

describe('admission', () => {
  it('never authenticates a CONNECT whose socket closed while it waited for its turn', async () => {
    const dev = await registerFast('pb-gave-up');
    const devices = t.centinela.repos.devices;
    const original = devices.credentialsOf.bind(devices);
    const asked: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // The store answers slowly for 32 other CONNECTs, so every authentication slot is taken.
    // (CONNECTs checked together share a read: src/ingest/auth/credential-reads.ts.)
    devices.credentialsOf = async (ids) => {
      asked.push(...ids);
      if (ids.some((id) => id.startsWith('slow-'))) await held;
      return original(ids);
    };
    try {
      const slow = Array.from({ length: 32 }, (_, i) =>
        connackCode(t.mqttPort, { clientId: `slow-${i}`, username: `slow-${i}`, password: 'x' }),
      );
      await eventually(async () => asked.filter((id) => id.startsWith('slow-')).length === 32);
      const connected = record('device.connected', dev.id);
      const gaveUp = mqtt.connect(`mqtt://127.0.0.1:${t.mqttPort}`, {
        clientId: dev.id,
        username: dev.id,
        password: dev.secret,
        protocolVersion: 4,
        reconnectPeriod: 0,
      });
      gaveUp.on('error', () => {});
      await eventually(async () => (await t.counter('centinela_mqtt_connects_waiting')) === 1);
      // The device gives up before its turn comes.
      gaveUp.end(true);
      await eventually(async () => (await t.counter('centinela_mqtt_connects_dropped_total', { reason: 'closed_before_auth' })) === 1);
      expect(await t.counter('centinela_mqtt_connects_waiting')).toBe(0);
      release();
      expect(await Promise.all(slow)).toEqual(Array(32).fill(4));
      expect(asked).not.toContain(dev.id);
      connected.stop();
      expect(connected.seen).toEqual([]);
    } finally {
      devices.credentialsOf = original;
      release();
    }
  });

  it('lets a device take over its own connection without it counting as leaving or a possible seizure', async () => {
    const admin = systemActor('test');
    const ben = await t.centinela.repos.beneficiaries.create(admin, {
      alias: 'Colibrí takeover',
      fullName: 'Persona Protegida',
      kind: 'journalist',
      stateCode: 'GRO',
      municipality: 'Chilpancingo',
      riskLevel: 'high',
      language: 'es',
      presumedAggressors: [],
    });
    const dev = await registerDevice(t.centinela.repos, 'pb-takeover', { beneficiaryId: ben.id });
    const will = { topic: `v1/devices/${dev.id}/status`, payload: Buffer.from('offline'), qos: 1 as const, retain: true };
    const first = await connectDevice(t.mqttPort, dev, { will });
    clients.push(first);
    await first.publishAsync(`v1/devices/${dev.id}/status`, 'online', { qos: 1, retain: true });
    // A press minutes before a vanishing is what makes a "possible seizure" (src/alerts).
    const raised = t.centinela.events.next('alarm.raised', (e) => e.deviceId === dev.id);
    await first.publishAsync(`v1/devices/${dev.id}/alarm`, alarm('before-takeover', { kind: 'intrusion' }), { qos: 1 });
    const { alarmId } = await raised;

    const left = record('device.disconnected', dev.id);
    // The device reconnects (new socket, same id) while its old connection is still open.
    const second = await connectDevice(t.mqttPort, dev, { will });
    clients.push(second);
    await eventually(async () => first.connected === false);
    const heard = t.centinela.events.next('heartbeat.received', (e) => e.deviceId === dev.id);
    await second.publishAsync(`v1/devices/${dev.id}/heartbeat`, heartbeat(1), { qos: 1 });
    await heard;
    left.stop();
    expect(left.seen).toEqual([]);
    const stored = await t.db.selectFrom('alarms').select('severity').where('id', '=', alarmId).executeTakeFirstOrThrow();
    expect(stored.severity).toBe('high');

    // Its real departure later is still seen.
    const vanished = t.centinela.events.next('device.disconnected', (e) => e.deviceId === dev.id);
    second.stream.destroy();
    expect(await vanished).toMatchObject({ lastWill: true });
  });

  it('admits 200 devices connecting at once from one address while 50 bad logins come from it too', async () => {
    const fleet = await Promise.all(Array.from({ length: 200 }, (_, i) => registerFast(`pb-cgnat-${i}`)));
    const attempts: Promise<number>[] = [];
    for (const [i, dev] of fleet.entries()) {
      attempts.push(
        connectDevice(t.mqttPort, dev).then((c) => {
          clients.push(c);
          return 0;
        }),
      );
      // Every fourth device's id is also tried with a wrong secret, and some ids that exist nowhere.
      if (i % 4 === 0) {
        const target = i % 8 === 0 ? dev.id : `ghost-${i}`;
        attempts.push(connackCode(t.mqttPort, { clientId: target, username: target, password: 'dev_guess' }).then((c) => 100 + c));
      }
    }
    const codes = await Promise.all(attempts);
    expect(codes.filter((c) => c === 0)).toHaveLength(200);
    expect(codes.filter((c) => c === 104)).toHaveLength(50);
    expect(clients.filter((c) => c.connected)).toHaveLength(200);
  });
  it('admits devices while hundreds of sockets hold connections open without ever sending CONNECT', async () => {
    const silent = await Promise.all(
      Array.from(
        { length: 300 },
        () =>
          new Promise<net.Socket>((resolve, reject) => {
            const s = net.connect(t.mqttPort, '127.0.0.1', () => resolve(s));
            s.on('error', reject);
          }),
      ),
    );
    try {
      const fleet = await Promise.all(Array.from({ length: 20 }, (_, i) => registerFast(`pb-beside-silent-${i}`)));
      const connected = await Promise.all(fleet.map((d) => connectDevice(t.mqttPort, d)));
      clients.push(...connected);
      expect(connected.every((c) => c.connected)).toBe(true);
    } finally {
      for (const s of silent) s.destroy();
    }
  });
});
