import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/platform/index.ts';
import { EmbeddedTelemetryStore, type TelemetryPoint } from '../src/store/telemetry/index.ts';
import { ENGINES, freshStore, type TestStore } from './fixtures/databases.ts';
import { registerDevice } from './fixtures/mqtt.ts';

const logger = createLogger({ level: 'silent' });
let db: TestStore | undefined;
afterEach(async () => {
  await db?.cleanup();
  db = undefined;
});

const DAY = 24 * 3600_000;
const point = (deviceId: string, at: number, receivedAt = at): TelemetryPoint => ({
  deviceId,
  at,
  receivedAt,
  kind: 'heartbeat',
  clockSuspect: false,
  seq: at,
  battery: 50,
  network: 'lte',
  loc: { lat: 17.06, lon: -96.72, acc: 12 },
});

describe.each(ENGINES)('the embedded telemetry store on %s', (engine) => {
  it('writes in batches, answers a time range in order, and keeps what it buffered through close', async () => {
    db = await freshStore(engine);
    await registerDevice(db.repos, 'pb-ts-1');
    const store = new EmbeddedTelemetryStore(db.store, logger);
    const now = Date.now();
    for (let i = 2_499; i >= 0; i--) expect(store.write(point('pb-ts-1', now - i * 1000))).toBe(true);
    await store.close();
    const rows = await store.query({ deviceId: 'pb-ts-1', from: now - 60_000, to: now, limit: 10_000 });
    expect(rows).toHaveLength(61);
    expect(rows.map((r) => r.at)).toEqual([...rows.map((r) => r.at)].sort((a, b) => a - b));
    expect(rows[0]).toMatchObject({ lat: 17.06, lon: -96.72, acc: 12, network: 'lte', clock_suspect: 0 });
  });

  it('refuses points beyond its capacity instead of growing without bound', async () => {
    db = await freshStore(engine);
    const store = new EmbeddedTelemetryStore(db.store, logger, { capacity: 10, intervalMs: 60_000 });
    const taken = Array.from({ length: 15 }, (_, i) => store.write(point('pb-cap', i)));
    expect(taken.filter(Boolean)).toHaveLength(10);
    await store.close();
  });

  it('prunes what is older than the retention cut-off (default 400 days)', async () => {
    db = await freshStore(engine);
    const store = new EmbeddedTelemetryStore(db.store, logger);
    const now = Date.now();
    store.write(point('pb-old', now - 401 * DAY));
    store.write(point('pb-old', now - 399 * DAY));
    store.write(point('pb-old', now));
    await store.flush();
    expect(await store.prune(now - 400 * DAY)).toBe(1);
    expect(await store.query({ deviceId: 'pb-old', from: 0, to: now, limit: 10 })).toHaveLength(2);
    await store.close();
  });
});
