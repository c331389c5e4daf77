import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { StreamHub } from '../src/alerts/stream-hub.ts';
import { seedCase, startAlertsWorld } from './fixtures/alerts-world.ts';

type World = Awaited<ReturnType<typeof startAlertsWorld>>;
let w: World;

beforeEach(async () => {
  w = await startAlertsWorld();
});
afterEach(async () => {
  await w.stop();
});

/** Reads server-sent events from a live connection until `until` says stop. */
async function readEvents(
  url: string,
  token: string,
  until: (events: { event: string; data: Record<string, unknown> }[]) => boolean,
  ready: () => void,
) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: Record<string, unknown> }[] = [];
  let buffer = '';
  let first = true;
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value);
    if (first) {
      first = false;
      ready();
    }
    let cut = buffer.indexOf('\n\n');
    while (cut >= 0) {
      const chunk = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.+)$/m.exec(chunk)?.[1];
      const data = /^data: (.+)$/m.exec(chunk)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
      cut = buffer.indexOf('\n\n');
    }
  }
  controller.abort();
  return events;
}

describe('the live stream shows each role only what it may see (P6)', () => {
  test('operators get alarm changes with the person; technicians get device states without the person', async () => {
    const kase = await seedCase(w.c);
    let connected = 0;
    let operatorDone!: ReturnType<typeof readEvents>;
    let technicianDone!: ReturnType<typeof readEvents>;
    const bothConnected = new Promise<void>((resolve) => {
      const ready = () => {
        connected += 1;
        if (connected === 2) resolve();
      };
      operatorDone = readEvents(
        `${w.c.httpUrl}/api/stream`,
        w.t.tokens.operator,
        (e) => e.some((x) => x.event === 'device.state.changed'),
        ready,
      );
      technicianDone = readEvents(
        `${w.c.httpUrl}/api/stream`,
        w.t.tokens.technician,
        (e) => e.some((x) => x.event === 'device.state.changed'),
        ready,
      );
    });
    await bothConnected;
    const alarmId = await w.raise({ deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    const acked = w.changed(alarmId, 'acknowledged');
    await w.api('POST', `/api/alarms/${alarmId}/acknowledge`, 'operator', {});
    await acked;
    w.c.events.emit('device.state.changed', {
      deviceId: kase.deviceId,
      beneficiaryId: kase.beneficiary.id,
      from: 'online',
      to: 'late',
      at: w.clock.now(),
    });
    const operator = await operatorDone;
    const technician = await technicianDone;
    expect(operator.find((e) => e.event === 'alarm.changed')?.data).toMatchObject({
      alarmId,
      to: 'acknowledged',
      beneficiaryId: kase.beneficiary.id,
    });
    expect(new Set(technician.map((e) => e.event))).toEqual(new Set(['device.state.changed']));
    expect(technician.filter((e) => 'beneficiaryId' in e.data)).toEqual([]);
    expect(technician.map((e) => e.data)).toContainEqual({ deviceId: kase.deviceId, from: 'online', to: 'late', at: expect.any(Number) });
  });

  test('analysts get nothing per person; administrators get device states without the person', () => {
    const hub = new StreamHub();
    const seen: Record<string, string[]> = { analyst: [], admin: [], supervisor: [] };
    for (const role of ['analyst', 'admin', 'supervisor'] as const)
      hub.subscribe(role, (m) => seen[role]?.push(`${m.event}:${'beneficiaryId' in m.data}`));
    hub.publish({ event: 'alarm.changed', data: { alarmId: 'a', beneficiaryId: 'b' }, personal: true });
    hub.publish({ event: 'device.state.changed', data: { deviceId: 'd', beneficiaryId: 'b' }, personal: false });
    expect(seen).toEqual({
      analyst: [],
      admin: ['device.state.changed:false'],
      supervisor: ['alarm.changed:true', 'device.state.changed:true'],
    });
  });
});
