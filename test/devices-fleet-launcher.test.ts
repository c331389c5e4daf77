import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { clearRetainedStatuses, launchFleet, syntheticDevices } from '../bench/fleet-launcher.ts';
import type { SimEvent } from '../devices/index.ts';
import { BrokerProbe, TEST_BROKER_URL } from '../devices/testing/broker-probe.ts';

beforeAll(async () => {
  await (await BrokerProbe.connect()).close();
});

describe('fleet launcher', () => {
  test('spreads a fleet over several processes, forwards alarm events, and stops them all', async () => {
    const prefix = `lt-${randomBytes(4).toString('hex')}`;
    const devices = syntheticDevices(30, 'panic-button', prefix);
    const probe = await BrokerProbe.connect();
    for (const d of devices) await probe.subscribe(`v1/devices/${d.id}/status`);
    const mine = (topic: string) => topic.startsWith(`v1/devices/${prefix}-`);
    let pubacked: (e: SimEvent) => void = () => undefined;
    const firstPuback = new Promise<SimEvent>((resolve) => {
      pubacked = resolve;
    });
    const fleet = await launchFleet({
      url: TEST_BROKER_URL,
      devices,
      seed: 9,
      speed: 600,
      alarmEveryS: 30,
      devicesPerProcess: 10,
      forward: ['alarm_puback'],
      onEvent: (e) => pubacked(e),
    });
    try {
      expect(fleet.processes).toBe(3);
      expect(fleet.stats().connected).toBe(30);
      await probe.count((m) => mine(m.topic) && m.text === 'online', 30);
      const e = await firstPuback;
      expect(e.type).toBe('alarm_puback');
      expect(e.deviceId.startsWith(prefix)).toBe(true);
    } finally {
      await fleet.stop();
    }
    await probe.count((m) => mine(m.topic) && m.text === 'offline', 30);
    await clearRetainedStatuses(
      TEST_BROKER_URL,
      devices.map((d) => d.id),
    );
    await probe.close();
  }, 90_000);
});
