import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentinela, type TestCentinela } from './fixtures/centinela.ts';
import { type Cluster, startCluster, within } from './fixtures/cluster.ts';
import { closed, connackCode, connectDevice, heartbeat, registerDevice } from './fixtures/mqtt.ts';

let t: TestCentinela;
let mqttPort: number;
beforeAll(async () => {
  t = await startTestCentinela('sqlite');
  mqttPort = t.centinela.parts.ingest.mqttPort as number;
});
afterAll(async () => {
  await t?.stop();
});

const api = async (method: 'POST' | 'PATCH', url: string, role: 'admin' | 'technician', body?: unknown) => {
  const res = await t.centinela.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${t.tokens[role]}` },
    ...(body !== undefined ? { payload: body as object } : {}),
  });
  return { status: res.statusCode, json: () => res.json() };
};

/** Reads a server-sent-events response until it ends; resolves when the server closes it. */
async function streamEnded(url: string, token: string): Promise<() => Promise<void>> {
  const res = await fetch(url, { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  await reader.read(); // ": connected as …"
  return async () => {
    for (;;) if ((await reader.read()).done) return;
  };
}

describe('a revoked credential ends its live MQTT session at once (issue 15)', () => {
  it('rotating a device secret closes the connection that used the old one, which cannot come back', async () => {
    const dev = await registerDevice(t.centinela.repos, 'pb-rotated');
    const client = await connectDevice(mqttPort, dev);
    await client.publishAsync(`v1/devices/${dev.id}/heartbeat`, heartbeat(1), { qos: 1 });
    const gone = closed(client);
    const rotated = await api('POST', `/api/devices/${dev.id}/secret`, 'technician');
    expect(rotated.status).toBe(200);
    await within(gone, 5_000, 'the old connection to close');
    expect(await connackCode(mqttPort, { clientId: dev.id, username: dev.id, password: dev.secret })).toBe(4);
    const fresh = await connectDevice(mqttPort, { id: dev.id, secret: rotated.json().secret });
    await fresh.endAsync();
  });

  it('retiring a device closes its connection', async () => {
    const dev = await registerDevice(t.centinela.repos, 'pb-retired');
    const client = await connectDevice(mqttPort, dev);
    const gone = closed(client);
    expect((await api('PATCH', `/api/devices/${dev.id}`, 'admin', { retiredAt: new Date().toISOString() })).status).toBe(200);
    await within(gone, 5_000, 'the retired device connection to close');
    client.end(true);
  });

  it('retiring a gateway, or rotating its secret, closes its connection', async () => {
    const sat = await registerDevice(t.centinela.repos, 'sat-behind-gw', { modelId: 'satellite-phone' });
    const created = await api('POST', '/api/gateways', 'admin', { id: 'gw-revoked', deviceIds: [sat.id] });
    expect(created.status).toBe(201);
    let gw = { id: 'gw-revoked', secret: String(created.json().secret) };
    let client = await connectDevice(mqttPort, gw);
    let gone = closed(client);
    const rotated = await api('POST', '/api/gateways/gw-revoked/secret', 'admin');
    await within(gone, 5_000, 'the gateway connection to close on rotation');
    client.end(true);
    gw = { id: 'gw-revoked', secret: String(rotated.json().secret) };
    client = await connectDevice(mqttPort, gw);
    gone = closed(client);
    expect((await api('POST', '/api/gateways/gw-revoked/retire', 'admin')).status).toBe(200);
    await within(gone, 5_000, 'the gateway connection to close on retirement');
    client.end(true);
  });

  it('other devices stay connected', async () => {
    const keep = await registerDevice(t.centinela.repos, 'pb-keep');
    const other = await registerDevice(t.centinela.repos, 'pb-other-rotated');
    const client = await connectDevice(mqttPort, keep);
    expect((await api('POST', `/api/devices/${other.id}/secret`, 'technician')).status).toBe(200);
    await client.publishAsync(`v1/devices/${keep.id}/heartbeat`, heartbeat(1), { qos: 1 });
    expect(client.connected).toBe(true);
    await client.endAsync();
  });
});

describe('a revoked user loses their live streams at once (issue 15)', () => {
  it('disabling a user ends the user’s open stream', async () => {
    const { user, token } = await t.centinela.repos.users.create({ id: 'test', role: 'admin' }, { name: 'op-revoked', role: 'operator' });
    const ended = await streamEnded(`${t.centinela.httpUrl}/api/stream`, token);
    expect((await api('POST', `/api/users/${user.id}/disable`, 'admin')).status).toBe(200);
    await within(ended(), 5_000, 'the stream to end');
    const again = await fetch(`${t.centinela.httpUrl}/api/stream`, { headers: { authorization: `Bearer ${token}` } });
    expect(again.status).toBe(401);
  });
});

describe('a user revoked from another process (issue 15)', () => {
  it('loses the stream at the next keep-alive, though no event reached this node', async () => {
    const { user, token } = await t.centinela.repos.users.create(
      { id: 'test', role: 'admin' },
      { name: 'op-cli-revoked', role: 'operator' },
    );
    const ended = await streamEnded(`${t.centinela.httpUrl}/api/stream`, token);
    // What `centinela user revoke` does, in its own process: the database only.
    await t.centinela.repos.users.revokeTokens({ id: 'cli', role: 'admin' }, user.id);
    await within(ended(), 20_000, 'the stream to end at the next keep-alive');
  }, 30_000);
});

describe('on every node (issue 15)', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster({ nodes: ['a', 'b'] });
  }, 120_000);
  afterAll(async () => {
    await c?.stop();
  });

  it('a secret rotated on one node closes the device’s connection on another, and a user revoked there loses the stream here', async () => {
    const dev = await registerDevice(c.db.repos, 'pb-cluster-rotated');
    const client = await connectDevice(c.node('b').mqttPort as number, dev);
    const gone = closed(client);
    expect((await c.node('a').api('POST', `/api/devices/${dev.id}/secret`, c.tokens.admin)).status).toBe(200);
    await within(gone, 10_000, 'the connection on the other node to close');
    client.end(true);

    const { user, token } = await c.db.repos.users.create({ id: 'test', role: 'admin' }, { name: 'op-cluster-revoked', role: 'operator' });
    const ended = await streamEnded(`${c.node('b').httpUrl}/api/stream`, token);
    expect((await c.node('a').api('POST', `/api/users/${user.id}/revoke-tokens`, c.tokens.admin)).status).toBe(200);
    await within(ended(), 10_000, 'the stream on the other node to end');
  });
});
