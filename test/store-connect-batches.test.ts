import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, freshStore, type TestStore } from './fixtures/databases.ts';

const admin = { id: 'usr_admin', role: 'admin' as const, requestId: 'req-1' };

// Issue 11: the reads a reconnecting fleet makes a batch at a time (src/ingest/auth/credential-reads.ts,
// src/health/config-downlink.ts).
describe.each(ENGINES)('reads for many connecting accounts at once on %s', (engine) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await freshStore(engine);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('reads the credentials of the devices and gateways among the ids, and nothing for the rest', async () => {
    await t.repos.devices.create(admin, { id: 'pb-1', modelId: 'panic-button', stateCode: 'OAX' }, 'hash-1');
    await t.repos.devices.create(admin, { id: 'sat-1', modelId: 'satellite-phone', stateCode: 'CHP' }, 'hash-s');
    await t.repos.gateways.create(admin, { id: 'gw-1', deviceIds: ['sat-1'] }, 'hash-g');
    const ids = ['pb-1', 'sat-1', 'gw-1', 'nobody'];
    const devices = await t.repos.devices.credentialsOf(ids);
    expect([...devices.keys()].sort()).toEqual(['pb-1', 'sat-1']);
    expect(devices.get('pb-1')).toEqual({ secretHash: 'hash-1', retiredAt: null });
    const gateways = await t.repos.gateways.credentialsOf(ids);
    expect([...gateways]).toEqual([['gw-1', { secretHash: 'hash-g', retiredAt: null, deviceIds: ['sat-1'] }]]);
    expect((await t.repos.devices.credentialsOf([])).size).toBe(0);
    expect((await t.repos.gateways.credentialsOf([])).size).toBe(0);
  });

  it('reads a fleet larger than one list of ids', async () => {
    const ids = Array.from({ length: 1_200 }, (_, i) => `pb-many-${i}`);
    for (const id of ids.slice(0, 1_100))
      await t.repos.devices.create(admin, { id, modelId: 'panic-button', stateCode: 'GRO' }, `hash-${id}`);
    const found = await t.repos.devices.credentialsOf(ids);
    expect(found.size).toBe(1_100);
    expect(found.get('pb-many-1099')?.secretHash).toBe('hash-pb-many-1099');
  });

  it('finds the pending config downlinks among the ids, setting an unreadable one aside', async () => {
    for (const id of ['pb-a', 'pb-b', 'pb-c', 'pb-d'])
      await t.repos.devices.create(admin, { id, modelId: 'panic-button', stateCode: 'OAX' }, 'hash');
    await t.repos.devices.setConfigPending('pb-b', { heartbeatIntervalS: 120 });
    await t.repos.devices.setConfigPending('pb-c', { heartbeatIntervalS: 300 });
    await sql`update devices set config_pending = ${'{not json'} where id = ${'pb-d'}`.execute(t.store.db);
    const { items, bad } = await t.repos.devices.configPendingOf(['pb-a', 'pb-b', 'pb-d', 'nobody']);
    expect(items).toEqual([{ deviceId: 'pb-b', config: { heartbeatIntervalS: 120 } }]);
    expect(bad.map((e) => e.details)).toEqual([expect.objectContaining({ table: 'devices', id: 'pb-d', field: 'config_pending' })]);
  });
});
