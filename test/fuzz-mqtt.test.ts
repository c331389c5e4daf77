import fc from 'fast-check';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentinela, type TestCentinela } from './fixtures/centinela.ts';
import { alarm, connectDevice, type DeviceCredentials, registerDevice } from './fixtures/mqtt.ts';

/**
 * Issue 15: random payloads at every uplink topic, each property bounded to a few seconds so the
 * suite stays fast in CI. A failure prints fast-check's seed and the shrunk payload.
 */
const BUDGET_MS = 4_000;
const options = { numRuns: 400, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false } as const;

let t: TestCentinela;
let port: number;
beforeAll(async () => {
  t = await startTestCentinela('sqlite');
  port = t.centinela.parts.ingest.mqttPort as number;
});
afterAll(async () => {
  await t?.stop();
});

/** Anything a broken or hostile device might send: raw bytes, text, any JSON, contract-shaped JSON with odd values. */
const payload = fc.oneof(
  fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
  fc.string({ maxLength: 300 }).map((s) => Buffer.from(s)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  fc
    .record(
      {
        id: fc.oneof(fc.string({ maxLength: 80 }), fc.integer(), fc.constant(null)),
        ts: fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.double(), fc.constant(null)),
        seq: fc.oneof(fc.integer(), fc.string({ maxLength: 10 })),
        battery: fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.string({ maxLength: 5 })),
        kind: fc.oneof(fc.constantFrom('panic', 'test', 'power_lost', 'reboot', 'nope'), fc.string({ maxLength: 20 })),
        signal: fc.jsonValue({ maxDepth: 2 }),
        loc: fc.oneof(fc.record({ lat: fc.double(), lon: fc.double() }), fc.jsonValue({ maxDepth: 2 })),
        note: fc.string({ maxLength: 500 }),
      },
      { requiredKeys: [] },
    )
    .map((o) => Buffer.from(JSON.stringify(o))),
);

/** A connected device that reconnects when the broker hangs up on it (a refused publish may). */
async function device(id: string, modelId?: string) {
  const creds: DeviceCredentials = await registerDevice(t.centinela.repos, id, modelId ? { modelId } : {});
  let client: MqttClient = await connectDevice(port, creds);
  return {
    creds,
    async connected(): Promise<MqttClient> {
      if (!client.connected) {
        client.end(true);
        client = await connectDevice(port, creds);
      }
      return client;
    },
    end: () => client.endAsync(),
  };
}

describe('random payloads at every uplink topic (issue 15)', () => {
  it.each(['heartbeat', 'event', 'status'])('%s: no crash, and the broker keeps serving', async (topic) => {
    const d = await device(`pb-fuzz-${topic}`);
    await fc.assert(
      fc.asyncProperty(payload, fc.constantFrom<0 | 1>(0, 1), async (bytes, qos) => {
        const client = await d.connected();
        await client.publishAsync(`v1/devices/${d.creds.id}/${topic}`, bytes, { qos }).catch(() => undefined);
      }),
      options,
    );
    // Still answering: a valid alarm from the same device is stored (PUBACK) afterwards.
    const raised = t.centinela.events.next('alarm.raised', (e) => e.deviceId === d.creds.id);
    await (await d.connected()).publishAsync(`v1/devices/${d.creds.id}/alarm`, alarm(`after-${topic}`), { qos: 1 });
    expect((await raised).kind).toBe('panic');
    await d.end();
  });

  it('alarm: every malformed alarm gets its PUBACK and still becomes an alarm', async () => {
    const d = await device('pb-fuzz-alarm');
    let presses = 0;
    await fc.assert(
      fc.asyncProperty(payload, async (bytes) => {
        // A payload that names a device alarm id may be a retransmission of an earlier one: it
        // rightly raises nothing new. Everything else must raise (or join) an alarm.
        let named = false;
        try {
          const parsed = JSON.parse(bytes.toString('utf8'));
          named = typeof parsed === 'object' && parsed !== null && 'id' in parsed;
        } catch {
          // not JSON: an unreadable alarm, kind unknown
        }
        const client = await d.connected();
        const raised = named ? undefined : t.centinela.events.next('alarm.raised', (e) => e.deviceId === d.creds.id);
        await client.publishAsync(`v1/devices/${d.creds.id}/alarm`, bytes, { qos: 1 });
        if (raised) {
          const e = await raised;
          expect(e.deviceId).toBe(d.creds.id);
          presses++;
        }
      }),
      { ...options, numRuns: 150 },
    );
    expect(presses).toBeGreaterThan(0);
    const unknown = await t.centinela.store.db
      .selectFrom('alarms')
      .select(['kind'])
      .where('device_id', '=', d.creds.id)
      .where('kind', '=', 'unknown')
      .execute();
    expect(unknown.length).toBeGreaterThan(0);
    await d.end();
  });
});
