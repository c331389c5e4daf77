import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMap } from '../src/events/index.ts';
import { CONNECTION_BATCH_MS } from '../src/ingest/connection-tracker.ts';
import { type IngestTestCentinela, startIngestCentinela } from './fixtures/ingest-centinela.ts';
import { closed, connectDevice, registerDevice } from './fixtures/mqtt.ts';

/**
 * Issue 13 §1: a connection the server closes for a reason of its own is not the device leaving.
 * Reported as leaving, each would start the offline grace and, near an alarm, a false "possible
 * seizure" SMS to the supervisor.
 */
describe('connections the server closes (sqlite)', () => {
  let t: IngestTestCentinela;
  const departures: EventMap['device.disconnected'][] = [];
  beforeAll(async () => {
    t = await startIngestCentinela('sqlite');
    t.centinela.events.on('device.disconnected', (e) => void departures.push(e));
  });
  afterAll(async () => t?.stop());

  it('a publish the topic ACL refuses closes the connection without a disconnect or the will being heard', async () => {
    const dev = await registerDevice(t.centinela.repos, 'pb-acl-close');
    const will = { topic: `v1/devices/${dev.id}/status`, payload: Buffer.from('offline'), qos: 1 as const, retain: true };
    const client = await connectDevice(t.mqttPort, dev, { will });
    await client.publishAsync(`v1/devices/${dev.id}/status`, 'online', { qos: 1, retain: true });
    const gone = closed(client);
    client.publish('v1/devices/someone-else/alarm', '{}', { qos: 1 });
    await gone;
    // The device comes back and is heard: nothing in between said it had left.
    const again = await connectDevice(t.mqttPort, dev);
    await again.publishAsync(`v1/devices/${dev.id}/status`, 'online', { qos: 1, retain: true });
    await again.endAsync();
    // Asserting an absence: connection changes are announced in batches, so wait out a few.
    await new Promise((r) => setTimeout(r, CONNECTION_BATCH_MS * 3));
    expect(departures.filter((d) => d.deviceId === dev.id && d.lastWill)).toEqual([]);
    expect(await t.counter('centinela_ingest_rejected_total', { kind: 'acl' })).toBeGreaterThanOrEqual(1);
  });
});
