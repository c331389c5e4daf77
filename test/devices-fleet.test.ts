import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { loadScenario, runFleet, type SimEvent, scenarioFleetDevices, TINY_SCENARIO_PATH } from '../devices/index.ts';
import { BrokerProbe, TEST_BROKER_URL } from '../devices/testing/broker-probe.ts';
import { alarmPayloadSchema, heartbeatSchema } from '../src/domain/wire.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

beforeAll(async () => {
  await (await BrokerProbe.connect()).close();
});

describe('fleet runner on a real broker', () => {
  test('runs the tiny scenario: every device online, heartbeats that parse, a planned alarm delivered, clean stop leaves all offline', async () => {
    const suffix = `-${randomBytes(4).toString('hex')}`;
    const scenario = await loadScenario(TINY_SCENARIO_PATH);
    const devices = scenarioFleetDevices(scenario).map((d) => ({ ...d, id: `${d.id}${suffix}` }));
    const probe = await BrokerProbe.connect();
    // Only these devices' topics: a wildcard over the shared broker would also bring every
    // retained status other runs left, and Mosquitto drops what overflows a client's queue.
    for (const d of devices) await probe.subscribe(`v1/devices/${d.id}/#`);
    const mine = (topic: string) => topic.split('/')[2]?.endsWith(suffix) === true;
    cleanups.push(async () => {
      for (const d of devices) await probe.clearRetained(`v1/devices/${d.id}/status`);
      await probe.close();
    });
    let delivered: (e: SimEvent) => void = () => undefined;
    const firstAlarm = new Promise<SimEvent>((resolve) => {
      delivered = resolve;
    });
    const fleet = await runFleet({
      url: TEST_BROKER_URL,
      devices,
      seed: scenario.seed,
      speed: scenario.speed,
      alarmEveryS: scenario.alarmEveryS,
      onEvent: (e) => e.type === 'alarm_puback' && delivered(e),
    });
    cleanups.push(() => fleet.stop());

    expect(fleet.stats().connected).toBe(3);
    await probe.count((m) => mine(m.topic) && m.topic.endsWith('/status') && m.text === 'online', 3);
    const beats = await probe.count((m) => mine(m.topic) && m.topic.endsWith('/heartbeat'), 3);
    for (const b of beats) heartbeatSchema.parse(b.json);
    const puback = await firstAlarm;
    const alarm = await probe.next(
      (m) => mine(m.topic) && m.topic.endsWith('/alarm') && (m.json as { id?: string }).id === (puback as { alarmId: string }).alarmId,
    );
    expect(['panic', 'sos', 'test']).toContain(alarmPayloadSchema.parse(alarm.json).kind);
    expect(fleet.stats().alarmsDelivered).toBeGreaterThanOrEqual(1);

    const manual = fleet.press(devices[0]?.id as string);
    await probe.next((m) => mine(m.topic) && (m.json as { id?: string } | undefined)?.id === manual);
    expect(() => fleet.press(devices[1]?.id as string)).toThrow(/has no alarm button/);

    await fleet.stop();
    expect(fleet.stats().connected).toBe(0);
    await probe.count((m) => mine(m.topic) && m.topic.endsWith('/status') && m.text === 'offline', 3);
  });

  test('a device the scenario says dies sends its last reading, then the broker reports it offline, while the rest carry on', async () => {
    const suffix = `-${randomBytes(4).toString('hex')}`;
    const devices = [
      { id: `pb-dies${suffix}`, model: 'panic-button' as const, diesAfterS: 300 },
      { id: `pb-lives${suffix}`, model: 'panic-button' as const },
    ];
    const probe = await BrokerProbe.connect();
    for (const d of devices) await probe.subscribe(`v1/devices/${d.id}/#`);
    cleanups.push(async () => {
      for (const d of devices) await probe.clearRetained(`v1/devices/${d.id}/status`);
      await probe.close();
    });
    let died: (id: string) => void = () => undefined;
    const death = new Promise<string>((resolve) => {
      died = resolve;
    });
    const fleet = await runFleet({
      url: TEST_BROKER_URL,
      devices,
      seed: 5,
      speed: 600,
      alarmEveryS: 0,
      onEvent: (e) => e.type === 'died' && died(e.deviceId),
    });
    cleanups.push(() => fleet.stop());
    expect(await death).toBe(`pb-dies${suffix}`);
    await probe.next((m) => m.topic === `v1/devices/pb-dies${suffix}/status` && m.text === 'offline');
    const last = heartbeatSchema.parse(
      (await probe.next((m) => m.topic === `v1/devices/pb-dies${suffix}/heartbeat` && (m.json as { battery?: number }).battery === 0)).json,
    );
    expect(last.battery).toBe(0);
    const after = probe.messages.length;
    await probe.next((m) => m.topic === `v1/devices/pb-lives${suffix}/heartbeat`, after);
    expect(fleet.stats()).toMatchObject({ dead: 1, connected: 1 });
  });

  test('the fleet command stops cleanly on SIGTERM with its devices offline', async () => {
    const suffix = `-${randomBytes(4).toString('hex')}`;
    const probe = await BrokerProbe.connect();
    await probe.subscribe(`v1/devices/pb-tiny-01${suffix}/status`);
    cleanups.push(async () => {
      for (const id of ['pb-tiny-01', 'cam-tiny-01', 'sat-tiny-01']) await probe.clearRetained(`v1/devices/${id}${suffix}/status`);
      await probe.close();
    });
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'devices/fleet/cli.ts', '--url', TEST_BROKER_URL, '--scenario', TINY_SCENARIO_PATH, `--id-suffix=${suffix}`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let signalled = false;
    // If the command dies before its devices are up, fail with what it said rather than hang.
    await Promise.race([
      probe.next((m) => m.text === 'online'),
      exited.then((code) => {
        if (!signalled) throw new Error(`fleet command exited early (${code}): ${out}`);
      }),
    ]);
    signalled = true;
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('fleet: stopped');
    await probe.next((m) => m.text === 'offline');
  }, 60_000);
});
