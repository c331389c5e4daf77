import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentinela, type TestCentinela } from './fixtures/centinela.ts';
import { runCli, tempDataDir } from './fixtures/cli.ts';

let t: TestCentinela;
beforeAll(async () => {
  t = await startTestCentinela('sqlite');
});
afterAll(async () => {
  await t?.stop();
});

const api = async (method: 'POST' | 'PATCH' | 'GET', url: string, body?: unknown, role: 'admin' | 'technician' = 'admin') => {
  const res = await t.centinela.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${t.tokens[role]}` },
    ...(body !== undefined ? { payload: body as object } : {}),
  });
  return { status: res.statusCode, json: () => res.json() };
};

describe('devices known by the id their own protocol carries (hardwareId)', () => {
  it('registers a GT06 tracker with its IMEI, shows it (technicians too), and changes it by PATCH', async () => {
    const created = await api('POST', '/api/devices', {
      id: 'gt06-hw-1',
      modelId: 'panic-button',
      stateCode: 'GRO',
      hardwareId: '868120000000001',
    });
    expect(created.status).toBe(201);
    expect(created.json().device.hardwareId).toBe('868120000000001');
    expect((await api('GET', '/api/devices/gt06-hw-1', undefined, 'technician')).json().hardwareId).toBe('868120000000001');
    const patched = await api('PATCH', '/api/devices/gt06-hw-1', { hardwareId: '868120000000002' });
    expect(patched.json().hardwareId).toBe('868120000000002');
    expect(await t.centinela.repos.devices.byHardwareId('868120000000002')).toEqual({ id: 'gt06-hw-1', retiredAt: null });
    expect(await t.centinela.repos.devices.byHardwareId('868120000000001')).toBeUndefined();
  });

  it('refuses a hardware id another device already has (409, naming the id) and a malformed one (400)', async () => {
    await api('POST', '/api/devices', { id: 'dc09-hw-1', modelId: 'camera', stateCode: 'GRO', hardwareId: 'AB12' });
    const dup = await api('POST', '/api/devices', { id: 'dc09-hw-2', modelId: 'camera', stateCode: 'GRO', hardwareId: 'AB12' });
    expect(dup.status).toBe(409);
    expect(dup.json().error.message).toContain('"AB12"');
    expect((await api('GET', '/api/devices/dc09-hw-2')).status).toBe(404);
    await api('POST', '/api/devices', { id: 'dc09-hw-3', modelId: 'camera', stateCode: 'GRO' });
    expect((await api('PATCH', '/api/devices/dc09-hw-3', { hardwareId: 'AB12' })).status).toBe(409);
    expect(
      (await api('POST', '/api/devices', { id: 'dc09-hw-4', modelId: 'camera', stateCode: 'GRO', hardwareId: 'has space' })).status,
    ).toBe(400);
  });

  it('clears a hardware id with null, freeing it for another device', async () => {
    await api('POST', '/api/devices', { id: 'sbd-hw-1', modelId: 'satellite-phone', stateCode: 'CHP', hardwareId: '300234010000001' });
    expect((await api('PATCH', '/api/devices/sbd-hw-1', { hardwareId: null })).json().hardwareId).toBeNull();
    expect(
      (await api('POST', '/api/devices', { id: 'sbd-hw-2', modelId: 'satellite-phone', stateCode: 'CHP', hardwareId: '300234010000001' }))
        .status,
    ).toBe(201);
  });
});

describe('centinela device add --hardware-id', { timeout: 120_000 }, () => {
  it('registers the device with its hardware id, and refuses the same id for a second device', async () => {
    const env = { CENTINELA_DATA_DIR: tempDataDir() };
    const added = await runCli(
      ['device', 'add', '--id', 'gt06-cli', '--model', 'panic-button', '--hardware-id', '868120000000009', '--json'],
      env,
    );
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout).device).toMatchObject({ id: 'gt06-cli', hardwareId: '868120000000009' });
    const dup = await runCli(
      ['device', 'add', '--id', 'gt06-cli-2', '--model', 'panic-button', '--hardware-id', '868120000000009', '--json'],
      env,
    );
    expect(dup.code).toBe(2);
    expect(JSON.parse(dup.stdout).error.code).toBe('CENTINELA_ERR_CONFLICT');
  });
});
