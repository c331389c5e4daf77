import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBadRow } from '../src/store/index.ts';
import { ENGINES, freshStore, type TestStore } from './fixtures/databases.ts';

const admin = { id: 'usr_admin', role: 'admin' as const, requestId: 'req-1' };
const HOUR = 3_600_000;

describe.each(ENGINES)('console, gateway and ingest-error repositories on %s', (engine) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await freshStore(engine);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  async function operator(name = 'op.ruiz') {
    const { user } = await t.repos.users.create(admin, { name, role: 'operator' });
    return user;
  }

  it('finds a console session until it expires, is revoked, or its user has tokens revoked', async () => {
    const user = await operator();
    const sessions = t.repos.consoleSessions;
    const now = Date.now() - 1_000;
    await sessions.open({ idHash: 'h-live', userId: user.id, now, expiresAt: now + 14 * HOUR }, now - 30 * 24 * HOUR);
    expect((await sessions.findLive('h-live', now + 1))?.principal).toEqual({ userId: user.id, name: 'op.ruiz', role: 'operator' });
    expect(await sessions.findLive('h-live', now + 15 * HOUR)).toBeUndefined();
    await sessions.revoke('h-live', now + 2);
    expect(await sessions.findLive('h-live', now + 3)).toBeUndefined();

    await sessions.open({ idHash: 'h-tokens', userId: user.id, now, expiresAt: now + 14 * HOUR }, now - 30 * 24 * HOUR);
    await t.repos.users.revokeTokens(admin, user.id);
    expect(await sessions.findLive('h-tokens', Date.now())).toBeUndefined();
  });

  it('ends every open session of a user at once (a new password)', async () => {
    const user = await operator();
    const now = Date.now();
    for (const idHash of ['h-1', 'h-2'])
      await t.repos.consoleSessions.open({ idHash, userId: user.id, now, expiresAt: now + HOUR }, now - HOUR);
    await t.repos.consoleSessions.revokeAllOf(user.id, now + 1);
    expect(await t.repos.consoleSessions.findLive('h-1', now + 2)).toBeUndefined();
    expect(await t.repos.consoleSessions.findLive('h-2', now + 2)).toBeUndefined();
  });

  it('names the table, the row and the field when a stored role is not a role', async () => {
    const user = await operator();
    const now = Date.now();
    await t.repos.consoleSessions.open({ idHash: 'h-bad', userId: user.id, now, expiresAt: now + HOUR }, now - HOUR);
    await t.store.db.updateTable('users').set({ role: 'overlord' }).where('id', '=', user.id).execute();
    const error = await t.repos.consoleSessions.findLive('h-bad', now + 1).catch((e: unknown) => e);
    expect(isBadRow(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CENTINELA_ERR_STORE_BAD_ROW', details: { table: 'users', id: user.id, field: 'role' } });
  });

  it('adds up unreadable-message counts across batches and lists the latest first', async () => {
    const errors = t.repos.ingestErrors;
    await errors.save(
      [
        { deviceId: 'pb-1', at: 1_000, topicKind: 'heartbeat', reason: 'invalid_json: x' },
        { deviceId: 'pb-1', at: 2_000, topicKind: 'event', reason: 'invalid_schema: y' },
      ],
      [{ deviceId: 'pb-1', reason: 'invalid_json', count: 3, lastAt: 1_000 }],
    );
    await errors.save([], [{ deviceId: 'pb-1', reason: 'invalid_json', count: 2, lastAt: 5_000 }]);
    expect(await errors.counts('pb-1')).toEqual([{ deviceId: 'pb-1', reason: 'invalid_json', count: 5, lastAt: 5_000 }]);
    expect((await errors.recent('pb-1', 10)).map((m) => m.at)).toEqual([2_000, 1_000]);
    await errors.prune(1_500);
    expect((await errors.recent('pb-1', 10)).map((m) => m.topicKind)).toEqual(['event']);
  });

  it('keeps a gateway with its devices, refuses a device id as a gateway id, and audits both writes', async () => {
    await t.repos.devices.create(admin, { id: 'sat-1', modelId: 'satellite-phone', stateCode: 'CHP' }, 'hash-d');
    const gateway = await t.repos.gateways.create(admin, { id: 'gw-iridium', deviceIds: ['sat-1'] }, 'hash-g');
    expect(gateway).toMatchObject({ id: 'gw-iridium', deviceIds: ['sat-1'], retiredAt: null });
    expect(await t.repos.gateways.credentials('gw-iridium')).toEqual({ secretHash: 'hash-g', retiredAt: null, deviceIds: ['sat-1'] });
    await expect(t.repos.gateways.create(admin, { id: 'sat-1', deviceIds: [] }, 'hash-x')).rejects.toMatchObject({
      code: 'CENTINELA_ERR_CONFLICT',
    });
    await t.repos.gateways.setDevices(admin, 'gw-iridium', []);
    const audit = await t.repos.audit.list({ recordType: 'gateway', recordId: 'gw-iridium' });
    expect(audit.map((e) => e.action)).toEqual(['update', 'create']);
  });

  it("reads several beneficiaries' aliases with one audit entry", async () => {
    const ids: string[] = [];
    for (const alias of ['Colibrí', 'Garza']) {
      const b = await t.repos.beneficiaries.create(admin, {
        alias,
        fullName: `${alias} Pérez`,
        kind: 'journalist',
        stateCode: 'VER',
        municipality: 'Xalapa',
        riskLevel: 'ordinary',
        language: 'es',
        presumedAggressors: [],
      });
      ids.push(b.id);
    }
    const operatorActor = { id: 'usr_op', role: 'operator' as const, requestId: 'req-9' };
    const aliases = await t.repos.beneficiaryAliases.of(operatorActor, [...ids, ids[0] as string]);
    expect([...aliases.values()].sort()).toEqual(['Colibrí', 'Garza']);
    const reads = (await t.repos.audit.list({ recordType: 'beneficiary' })).filter((e) => e.actor_id === 'usr_op');
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ action: 'list', record_id: '*' });
  });
});
