import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { CameraSimulator } from '../devices/simulators/camera.ts';
import { SatellitePhoneSimulator } from '../devices/simulators/satellite-phone.ts';
import { simulatedClock } from '../devices/simulators/scaled-timers.ts';
import type { SimEvent } from '../devices/simulators/types.ts';
import { BrokerProbe, TEST_BROKER_URL, uniqueDeviceId } from '../devices/testing/broker-probe.ts';
import { alarmPayloadSchema, deviceEventSchema, heartbeatSchema } from '../src/domain/wire.ts';

const HOUR = 3_600_000;
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

beforeAll(async () => {
  await (await BrokerProbe.connect()).close();
});

describe('satellite phone on a real broker', () => {
  test('check-ins that found no satellite arrive later with their original, hours-old timestamps', async () => {
    const id = uniqueDeviceId('sat');
    const probe = await probeFor(id);
    // 36,000×: the hourly check-in every 100 ms, and timestamps in simulated time.
    const speed = 36_000;
    const failed: { seq: number; ts: number }[] = [];
    const sim = new SatellitePhoneSimulator({
      url: TEST_BROKER_URL,
      id,
      seed: 3,
      speed,
      now: simulatedClock(speed),
      terrain: 'mountain',
      home: { lat: 17.25, lon: -98.63 },
      onEvent: (e) => {
        if (e.type === 'checkin_failed') failed.push({ seq: e.seq, ts: e.ts });
      },
    });
    cleanups.push(() => sim.stop());
    await sim.start();
    // Wait for a check-in that failed and was then delivered by a later, successful one.
    const late = await probe.next((m) => m.topic.endsWith('/heartbeat') && failed.some((f) => f.seq === heartbeatSchema.parse(m.json).seq));
    const lateBeat = heartbeatSchema.parse(late.json);
    expect(lateBeat.ts).toBe(failed.find((f) => f.seq === lateBeat.seq)?.ts);
    // It travelled with the on-time check-in that found the satellite, at least an hour later.
    const carrier = await probe.next((m) => {
      if (!m.topic.endsWith('/heartbeat')) return false;
      const h = heartbeatSchema.parse(m.json);
      return h.seq > lateBeat.seq && !failed.some((f) => f.seq === h.seq);
    });
    const carrierBeat = heartbeatSchema.parse(carrier.json);
    expect((carrierBeat.ts as number) - (lateBeat.ts as number)).toBeGreaterThanOrEqual(HOUR - 1000);
    expect(lateBeat.signal.network).toBe('iridium');
  });

  test('an SOS made without a satellite in view is retried with the same id until it is delivered', async () => {
    const id = uniqueDeviceId('sat');
    const probe = await probeFor(id);
    const attempts: number[] = [];
    const sim = new SatellitePhoneSimulator({
      url: TEST_BROKER_URL,
      id,
      seed: 11,
      speed: 36_000,
      checkinFailureProbability: 0.8,
      onEvent: (e) => {
        if (e.type === 'alarm_sent') attempts.push(e.attempt);
      },
    });
    cleanups.push(() => sim.stop());
    await sim.start();
    const alarmId = sim.press();
    const alarm = alarmPayloadSchema.parse((await probe.next(probe.on(`v1/devices/${id}/alarm`))).json);
    expect(alarm).toMatchObject({ id: alarmId, kind: 'sos' });
    expect(attempts.length).toBeGreaterThanOrEqual(1);
  });

  test('the terrain sets how often a check-in fails', () => {
    const sim = (terrain: 'open' | 'urban' | 'forest' | 'mountain') =>
      new SatellitePhoneSimulator({ url: TEST_BROKER_URL, id: 'never-connected', seed: 1, terrain }).failureProbability;
    expect([sim('open'), sim('urban'), sim('forest'), sim('mountain')]).toEqual([0.05, 0.15, 0.4, 0.7]);
  });
});

describe('camera on a real broker', () => {
  test('reports motion as an alarm and tampering as an event, both valid on the wire', async () => {
    const id = uniqueDeviceId('cam');
    const probe = await probeFor(id);
    const sim = new CameraSimulator({ url: TEST_BROKER_URL, id, seed: 5, speed: 600, motionEveryS: 0 });
    cleanups.push(() => sim.stop());
    await sim.start();
    const beat = heartbeatSchema.parse((await probe.next(probe.on(`v1/devices/${id}/heartbeat`))).json);
    expect(beat).toMatchObject({ battery: 100, signal: { network: 'wifi' } });
    const motionId = sim.detectMotion('patio');
    sim.tamper('lens covered');
    const motion = alarmPayloadSchema.parse((await probe.next(probe.on(`v1/devices/${id}/alarm`))).json);
    expect(motion).toMatchObject({ id: motionId, kind: 'motion' });
    const tamper = deviceEventSchema.parse((await probe.next(probe.on(`v1/devices/${id}/event`))).json);
    expect(tamper).toMatchObject({ kind: 'tamper', detail: 'lens covered' });
  });

  test('a power cut sends power_lost, then silence (last will), and power_restored when the power returns', async () => {
    const id = uniqueDeviceId('cam');
    const probe = await probeFor(id);
    const events: SimEvent[] = [];
    const sim = new CameraSimulator({ url: TEST_BROKER_URL, id, seed: 5, speed: 600, motionEveryS: 0, onEvent: (e) => events.push(e) });
    cleanups.push(() => sim.stop());
    await sim.start();
    await probe.next((m) => m.topic.endsWith('/status') && m.text === 'online');
    await sim.losePower(300);
    const lost = await probe.next(probe.on(`v1/devices/${id}/event`));
    expect(deviceEventSchema.parse(lost.json).kind).toBe('power_lost');
    const offlineAt = probe.messages.indexOf(await probe.next((m) => m.topic.endsWith('/status') && m.text === 'offline'));
    await probe.next((m) => m.topic.endsWith('/status') && m.text === 'online', offlineAt);
    const restored = await probe.next((m) => m.topic.endsWith('/event') && deviceEventSchema.parse(m.json).kind === 'power_restored');
    expect(deviceEventSchema.parse(restored.json).kind).toBe('power_restored');
    expect(sim.powered).toBe(true);
  });
});
