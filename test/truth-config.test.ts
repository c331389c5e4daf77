import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestCentinela, type TestCentinela } from './fixtures/centinela.ts';
import { runCli, tempDataDir } from './fixtures/cli.ts';
import { connectDevice, registerDevice } from './fixtures/mqtt.ts';

function folder(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-centre-'));
  for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), JSON.stringify(body));
  return dir;
}

const console0 = { afterS: 0, target: 'operators', channel: 'console' };

/**
 * Issue 14 §9: configuration does what the README says. A centre's policy and template folders
 * ADD to the shipped ones (a centre's file overrides a shipped one of the same name), and a start
 * that would leave silent devices without a policy, or with a policy naming an unknown target,
 * is refused with a message naming the file and the field.
 */
describe('a centre’s own policies and templates', { timeout: 60_000 }, () => {
  let t: TestCentinela | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it('add to the shipped ones, and a file of the same name overrides the shipped one', async () => {
    const policies = folder({
      'camera-night.json': { name: 'camera-night', kinds: ['intrusion'], steps: [console0] },
      'motion.json': { name: 'motion-centre', kinds: ['motion'], steps: [console0] },
    });
    const templates = folder({
      'nah.json': { language: 'nah', voiceLanguage: 'es-MX', kinds: { panic: 'tlatzacuiliztli' }, messages: { contact: '{alias} {what}' } },
    });
    t = await startTestCentinela('sqlite', { env: { CENTINELA_POLICY_DIR: policies, CENTINELA_TEMPLATE_DIR: templates } });
    const started = t.logs.find((l) => String(l.msg).startsWith('alerts started')) as { policies: string[] };
    // The shipped silent-device, panic and duress (issue 18) policies are still in force beside the
    // centre's; the centre's motion.json replaced the shipped one of the same name.
    expect(started.policies.sort()).toEqual(['camera-night', 'device_offline', 'duress', 'motion-centre', 'panic']);
  });

  it('a start without a silent-device policy is refused, saying why', async () => {
    const policies = folder({ 'device-offline.json': { name: 'quiet', kinds: ['motion'], steps: [console0] } });
    const res = await runCli(['serve'], {
      CENTINELA_DATA_DIR: tempDataDir(),
      CENTINELA_POLICY_DIR: policies,
      CENTINELA_HTTP_PORT: '0',
      CENTINELA_MQTT_PORT: '0',
    });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('none handles silent devices (kind "device_offline")');
  });

  it('a policy with an unknown target is refused at start, naming the file and the field', async () => {
    const policies = folder({ 'army.json': { name: 'army', kinds: ['panic'], steps: [{ afterS: 0, target: 'army', channel: 'sms' }] } });
    const res = await runCli(['serve'], {
      CENTINELA_DATA_DIR: tempDataDir(),
      CENTINELA_POLICY_DIR: policies,
      CENTINELA_HTTP_PORT: '0',
      CENTINELA_MQTT_PORT: '0',
    });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(path.join(policies, 'army.json'));
    expect(res.stderr).toContain('steps.0.target: target must be one of operators, supervisor, contacts, responder');
  });
});

describe('changing a device’s interval', { timeout: 60_000 }, () => {
  let t: TestCentinela | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  const patch = (id: string, body: unknown) =>
    t?.centinela.app.inject({
      method: 'PATCH',
      url: `/api/devices/${id}`,
      headers: { authorization: `Bearer ${t.tokens.admin}` },
      payload: body as object,
    });

  /** Connects, subscribes to its config downlink, and resolves with the first config it receives. */
  async function listen(port: number, creds: { id: string; secret: string }) {
    const device = await connectDevice(port, creds);
    const got = new Promise<unknown>((resolve) => device.on('message', (_t, payload) => resolve(JSON.parse(payload.toString()))));
    await device.subscribeAsync(`v1/devices/${creds.id}/config`, { qos: 1 });
    return { device, got };
  }

  it('sends the config downlink to a connected device, which acknowledges it', async () => {
    t = await startTestCentinela('sqlite');
    const c = t.centinela;
    const creds = await registerDevice(c.repos, 'pb-cfg-1');
    const { device, got } = await listen(c.parts.ingest.mqttPort as number, creds);
    try {
      const acked = c.events.next('downlink.acknowledged', (e) => e.deviceId === 'pb-cfg-1' && e.topic === 'config');
      expect((await patch('pb-cfg-1', { heartbeatIntervalS: 30 }))?.statusCode).toBe(200);
      expect(await got).toEqual({ heartbeatIntervalS: 30 });
      await acked;
      await expect.poll(() => c.repos.devices.configPending('pb-cfg-1')).toBeNull();
    } finally {
      await device.endAsync();
    }
  });

  it('a device offline when its interval changed gets it on its next connect; until then it is pending', async () => {
    t = await startTestCentinela('sqlite');
    const c = t.centinela;
    const creds = await registerDevice(c.repos, 'pb-cfg-2');
    expect((await patch('pb-cfg-2', { heartbeatIntervalS: 45 }))?.statusCode).toBe(200);
    expect(await c.repos.devices.configPending('pb-cfg-2')).toEqual({ heartbeatIntervalS: 45 });
    const acked = c.events.next('downlink.acknowledged', (e) => e.deviceId === 'pb-cfg-2');
    const { device, got } = await listen(c.parts.ingest.mqttPort as number, creds);
    try {
      expect(await got).toEqual({ heartbeatIntervalS: 45 });
      await acked;
      await expect.poll(() => c.repos.devices.configPending('pb-cfg-2')).toBeNull();
    } finally {
      await device.endAsync();
    }
  });
});
