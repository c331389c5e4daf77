import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMap } from '../src/events/types.ts';
import { systemActor } from '../src/store/index.ts';
import { type IngestTestCentinela, startIngestCentinela } from './fixtures/ingest-centinela.ts';
import { alarm, connectDevice, type DeviceCredentials, heartbeat, registerDevice } from './fixtures/mqtt.ts';

let t: IngestTestCentinela;
const api = async (path: string, role: 'technician' | 'operator' | 'admin' | 'analyst', init: RequestInit = {}) => {
  const res = await fetch(`${t.centinela.httpUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${t.tokens[role]}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { points?: Record<string, unknown>[] } };
};

beforeAll(async () => {
  t = await startIngestCentinela('sqlite');
});
afterAll(async () => t?.stop());

async function withDevice(id: string, work: (client: Awaited<ReturnType<typeof connectDevice>>, dev: DeviceCredentials) => Promise<void>) {
  const dev = await registerDevice(t.centinela.repos, id);
  const client = await connectDevice(t.mqttPort, dev);
  try {
    await work(client, dev);
  } finally {
    await client.endAsync();
  }
}

describe('heartbeats', () => {
  it('stores a valid heartbeat as telemetry and announces it', async () => {
    await withDevice('pb-hb-ok', async (client, dev) => {
      const announced = t.centinela.events.next('heartbeat.received', (e) => e.deviceId === dev.id);
      await client.publishAsync(`v1/devices/${dev.id}/heartbeat`, heartbeat(7, { loc: { lat: 19.4, lon: -99.1 } }), { qos: 1 });
      expect((await announced).heartbeat.seq).toBe(7);
      const { status, body } = await api(`/api/devices/${dev.id}/telemetry`, 'operator');
      expect(status).toBe(200);
      expect(body.points).toMatchObject([
        { kind: 'heartbeat', seq: 7, battery: 87, network: 'lte', loc: { lat: 19.4, lon: -99.1 }, clockSuspect: false },
      ]);
    });
  });

  it('shows technicians the telemetry without locations, and refuses them the location field', async () => {
    const { body } = await api('/api/devices/pb-hb-ok/telemetry', 'technician');
    expect(body.points?.[0]).toMatchObject({ seq: 7, battery: 87 });
    expect(body.points?.[0]).not.toHaveProperty('loc');
    expect((await api('/api/devices/pb-hb-ok/telemetry?fields=battery,loc', 'technician')).status).toBe(403);
    expect((await api('/api/devices/pb-hb-ok/telemetry', 'analyst')).status).toBe(403);
  });

  it('audits an operator reading where a device was', async () => {
    const entries = await t.db.selectFrom('audit_log').selectAll().where('record_type', '=', 'device_location').execute();
    expect(entries.map((e) => [e.record_id, e.actor_role])).toContainEqual(['pb-hb-ok', 'operator']);
  });

  it('drops an invalid JSON heartbeat and tells the technician why', async () => {
    await withDevice('pb-hb-bad', async (client, dev) => {
      const rejected = t.centinela.events.next('ingest.rejected', (e) => e.deviceId === dev.id);
      await client.publishAsync(`v1/devices/${dev.id}/heartbeat`, '{"ts": 1, "seq": ', { qos: 1 });
      expect((await rejected).reason).toBe('invalid_json');
      await client.publishAsync(
        `v1/devices/${dev.id}/heartbeat`,
        JSON.stringify({ ts: Date.now(), seq: 1, battery: 140, signal: { network: 'lte' } }),
        { qos: 1 },
      );
    });
    const { body } = await api('/api/devices/pb-hb-bad/telemetry', 'technician');
    expect(body.points).toEqual([]);
    const errors = await api('/api/devices/pb-hb-bad/ingest-errors', 'technician');
    expect(errors.status).toBe(200);
    expect(errors.body.counts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: 'invalid_json', count: 1 }),
        expect.objectContaining({ reason: 'invalid_fields', count: 1 }),
      ]),
    );
    expect(JSON.stringify(errors.body.recent)).toContain('battery');
  });

  it('replaces a device clock at 1970 with the receive time and flags it', async () => {
    await withDevice('pb-1970', async (client, dev) => {
      const announced = t.centinela.events.next('heartbeat.received', (e) => e.deviceId === dev.id);
      const sent = Date.now();
      await client.publishAsync(`v1/devices/${dev.id}/heartbeat`, heartbeat(1, { ts: 0 }), { qos: 1 });
      const hb = await announced;
      expect(hb.clockSuspect).toBe(true);
      expect(hb.at).toBeGreaterThanOrEqual(sent);
      await client.publishAsync(`v1/devices/${dev.id}/alarm`, alarm('a-1970', { ts: '1970-01-01T00:00:00Z' }), { qos: 1 });
    });
    const [stored] = await t.alarmsOf('pb-1970');
    expect(stored?.clock_suspect).toBe(1);
    expect(stored?.raised_at).toBeGreaterThan(Date.parse('2020-01-01'));
    const { body } = await api('/api/devices/pb-1970/telemetry', 'technician');
    expect(body.points?.[0]).toMatchObject({ clockSuspect: true });
  });

  it('places late satellite data at its device time', async () => {
    await withDevice('sat-late', async (client, dev) => {
      const threeHoursAgo = Date.now() - 3 * 3600_000;
      const announced = t.centinela.events.next('heartbeat.received', (e) => e.deviceId === dev.id);
      await client.publishAsync(`v1/devices/${dev.id}/heartbeat`, heartbeat(1, { ts: threeHoursAgo, signal: { network: 'iridium' } }), {
        qos: 1,
      });
      expect(await announced).toMatchObject({ at: threeHoursAgo, clockSuspect: false });
    });
  });
});

describe('alarms', () => {
  it('raises an alarm once for a duplicate device alarm id', async () => {
    await withDevice('pb-dup', async (client, dev) => {
      const raised: EventMap['alarm.raised'][] = [];
      const off = t.centinela.events.on('alarm.raised', (e) => {
        if (e.deviceId === dev.id) raised.push(e);
      });
      await client.publishAsync(`v1/devices/${dev.id}/alarm`, alarm('press-42'), { qos: 1 });
      await client.publishAsync(`v1/devices/${dev.id}/alarm`, alarm('press-42'), { qos: 1 });
      off();
      expect(raised).toHaveLength(1);
    });
    const alarms = await t.alarmsOf('pb-dup');
    expect(alarms.map((a) => [a.kind, a.press_count])).toEqual([['panic', 1]]);
  });

  it('raises an alarm of kind unknown for an invalid JSON alarm, keeping its raw bytes', async () => {
    const garbage = Buffer.from('PANIC!!\x00\x01 not json {', 'latin1');
    await withDevice('pb-garbage', async (client, dev) => {
      const raised = t.centinela.events.next('alarm.raised', (e) => e.deviceId === dev.id);
      await client.publishAsync(`v1/devices/${dev.id}/alarm`, garbage, { qos: 1 });
      expect(await raised).toMatchObject({ kind: 'unknown', severity: 'high', joined: false });
      // A retransmission of the same bytes is the same press.
      await client.publishAsync(`v1/devices/${dev.id}/alarm`, garbage, { qos: 1 });
    });
    const alarms = await t.alarmsOf('pb-garbage');
    expect(alarms).toHaveLength(1);
    expect(Buffer.from(alarms[0]?.raw ?? '', 'base64')).toEqual(garbage);
    expect(alarms[0]?.press_count).toBe(1);
  });

  it('keeps at most 4 KiB of an unreadable alarm', async () => {
    await withDevice('pb-big-garbage', async (client, dev) => {
      await client.publishAsync(`v1/devices/${dev.id}/alarm`, Buffer.alloc(12 * 1024, 0x7a), { qos: 1 });
    });
    const [stored] = await t.alarmsOf('pb-big-garbage');
    expect(Buffer.from(stored?.raw ?? '', 'base64').length).toBe(4096);
  });

  it('marks the alarm of a device on test as a test alarm', async () => {
    const dev = await registerDevice(t.centinela.repos, 'pb-on-test');
    await t.centinela.repos.devices.setOnTest(systemActor('test'), dev.id, Date.now() + 3600_000);
    const client = await connectDevice(t.mqttPort, dev);
    const raised = t.centinela.events.next('alarm.raised', (e) => e.deviceId === dev.id);
    await client.publishAsync(`v1/devices/${dev.id}/alarm`, alarm('t-1'), { qos: 1 });
    await client.endAsync();
    expect(await raised).toMatchObject({ test: true, severity: 'low' });
  });
});

describe('device events and connection status', () => {
  it('announces a tamper event', async () => {
    await withDevice('cam-tamper', async (client, dev) => {
      const ev = t.centinela.events.next('device.event.received', (e) => e.deviceId === dev.id);
      await client.publishAsync(`v1/devices/${dev.id}/event`, JSON.stringify({ ts: Date.now(), kind: 'tamper', detail: 'lid opened' }), {
        qos: 1,
      });
      expect(await ev).toMatchObject({ kind: 'tamper', detail: 'lid opened', clockSuspect: false });
    });
  });

  it('tells a device that vanished (last will) from one that said goodbye', async () => {
    const dev = await registerDevice(t.centinela.repos, 'pb-will');
    const connected = t.centinela.events.next('device.connected', (e) => e.deviceId === dev.id);
    const client = await connectDevice(t.mqttPort, dev, {
      will: { topic: `v1/devices/${dev.id}/status`, payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    await client.publishAsync(`v1/devices/${dev.id}/status`, 'online', { qos: 1, retain: true });
    await connected;
    const vanished = t.centinela.events.next('device.disconnected', (e) => e.deviceId === dev.id);
    client.stream.destroy();
    expect(await vanished).toMatchObject({ lastWill: true });
    client.end(true);

    const again = await connectDevice(t.mqttPort, dev);
    const goodbye = t.centinela.events.next('device.disconnected', (e) => e.deviceId === dev.id);
    await again.endAsync();
    expect(await goodbye).toMatchObject({ lastWill: false });
  });
});

describe('gateways', () => {
  it('lets a gateway publish for the devices listed on it and no others', async () => {
    const sat = await registerDevice(t.centinela.repos, 'sat-gw-1', { modelId: 'satellite-phone' });
    const other = await registerDevice(t.centinela.repos, 'sat-gw-other', { modelId: 'satellite-phone' });
    const created = await api('/api/gateways', 'admin', {
      method: 'POST',
      body: JSON.stringify({ id: 'gw-iridium', deviceIds: [sat.id] }),
    });
    expect(created.status).toBe(201);
    const gw = { id: 'gw-iridium', secret: String(created.body.secret) };

    const client = await connectDevice(t.mqttPort, gw);
    await client.publishAsync(`v1/devices/${sat.id}/alarm`, alarm('via-gw-1'), { qos: 1 });
    const gone = new Promise<void>((r) => client.once('close', () => r()));
    client.publish(`v1/devices/${other.id}/alarm`, alarm('via-gw-2'), { qos: 1 });
    await gone;
    client.end(true);
    expect((await t.alarmsOf(sat.id)).length).toBe(1);
    expect(await t.alarmsOf(other.id)).toEqual([]);

    const retired = await api('/api/gateways/gw-iridium/retire', 'admin', { method: 'POST' });
    expect(retired.body.retiredAt).toEqual(expect.any(String));
    await expect(connectDevice(t.mqttPort, gw)).rejects.toMatchObject({ code: 5 });
  });

  it('lets only admins create gateways', async () => {
    expect((await api('/api/gateways', 'technician', { method: 'POST', body: JSON.stringify({ id: 'gw-x' }) })).status).toBe(403);
  });
});

describe('failing toward the alarm', () => {
  it('raises an alarm sent at QoS 0 with the retain flag set', async () => {
    await withDevice('pb-odd-flags', async (client, dev) => {
      const raised = t.centinela.events.next('alarm.raised', (e) => e.deviceId === dev.id);
      client.publish(`v1/devices/${dev.id}/alarm`, alarm('odd-flags'), { qos: 0, retain: true });
      expect(await raised).toMatchObject({ kind: 'panic' });
    });
  });
});
