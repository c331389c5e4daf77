import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HeartbeatCount } from '../src/domain/health.ts';
import { ENGINES, freshStore, type TestStore } from './fixtures/databases.ts';

const DAY = 86_400_000;

/**
 * Every node counts the heartbeats it received and adds them to the same rows (device, day); nodes
 * stopped together flush at the same moment. Each node's counts must all land, whatever order it
 * heard the devices in (on PostgreSQL two flushes locking the rows in opposite orders deadlocked,
 * and the losing node's counts were gone).
 */
describe.each(ENGINES)('heartbeat counts added by several nodes at once on %s', (engine) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await freshStore(engine);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('sums every node’s counts when two nodes flush the same devices and days at once, in opposite orders', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => ({ deviceId: `pb-${String(i).padStart(3, '0')}`, day: (i % 3) * DAY }));
    const node = (order: typeof keys): HeartbeatCount[] => order.map((k) => ({ ...k, received: 2, clockSuspect: 0 }));
    for (let round = 0; round < 5; round++)
      await Promise.all([t.repos.healthTelemetry.addCounts(node(keys)), t.repos.healthTelemetry.addCounts(node([...keys].reverse()))]);
    const rows = await t.store.db.selectFrom('health_heartbeat_days').select(['device_id', 'received']).execute();
    expect(rows).toHaveLength(keys.length);
    expect(rows.every((r) => Number(r.received) === 5 * 2 * 2)).toBe(true);
  });
});
