import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../src/store/index.ts';
import { ENGINES, freshStore, type TestStore } from './fixtures/databases.ts';

const admin = { id: 'usr_admin', role: 'admin' as const, requestId: 'req-1' };

describe.each(ENGINES)('registry repositories on %s', (engine) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await freshStore(engine);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('loads the device catalogue with the panic button at MXN 3,500 a month, heartbeat 60 s, offline after 180 s', async () => {
    const panic = await t.repos.deviceModels.get('panic-button');
    expect(panic).toMatchObject({
      kind: 'panic_button',
      monthlyCostMxn: 3500,
      heartbeatIntervalS: 60,
      offlineAfterS: 180,
      costIsSample: false,
    });
    const samples = (await t.repos.deviceModels.list()).filter((m) => m.costIsSample).map((m) => m.id);
    expect(samples.sort()).toEqual(['camera', 'dc09-communicator', 'gt06-tracker', 'inreach', 'iridium-sbd', 'satellite-phone']);
  });

  it('has a model of its own for each protocol family (issue 17), alarm-capable and supervised on its own window', async () => {
    const models = new Map((await t.repos.deviceModels.list()).map((m) => [m.id, m]));
    expect(models.get('gt06-tracker')).toMatchObject({
      kind: 'panic_button',
      alarmCapable: true,
      heartbeatIntervalS: 180,
      offlineAfterS: 600,
    });
    expect(models.get('dc09-communicator')).toMatchObject({
      kind: 'panic_button',
      alarmCapable: true,
      heartbeatIntervalS: 90,
      offlineAfterS: 300,
    });
    // Satellite devices report in minutes to hours: a panic button's three minutes would call them silent all day.
    expect(models.get('iridium-sbd')).toMatchObject({ kind: 'satellite_phone', alarmCapable: true, offlineAfterS: 14_400 });
    expect(models.get('inreach')).toMatchObject({
      kind: 'satellite_phone',
      alarmCapable: true,
      heartbeatIntervalS: 600,
      offlineAfterS: 7_200,
    });
  });

  it('stores a beneficiary with presumed aggressors and audits the creation and every read', async () => {
    const created = await t.repos.beneficiaries.create(admin, {
      alias: 'Colibrí',
      fullName: 'María Pérez',
      kind: 'journalist',
      stateCode: 'VER',
      municipality: 'Xalapa',
      riskLevel: 'extraordinary',
      language: 'es',
      presumedAggressors: [{ type: 'authority', responderKind: 'municipal_police', stateCode: 'VER', municipality: 'Xalapa' }],
    });
    expect(created.presumedAggressors).toEqual([
      { type: 'authority', responderKind: 'municipal_police', stateCode: 'VER', municipality: 'Xalapa' },
    ]);
    await t.repos.beneficiaries.get({ id: 'usr_op', role: 'operator', requestId: 'req-2' }, created.id);
    const entries = await t.repos.audit.list({ recordType: 'beneficiary', recordId: created.id });
    expect(entries.map((e) => [e.actor_id, e.action])).toEqual([
      ['usr_op', 'read'],
      ['usr_admin', 'read'],
      ['usr_admin', 'create'],
    ]);
    expect(entries[0]?.request_id).toBe('req-2');
  });

  it('answers a duplicate device id with a conflict and keeps the first device', async () => {
    await t.repos.devices.create(admin, { id: 'pb-1', modelId: 'panic-button', stateCode: 'GRO' }, 'hash-1');
    await expect(t.repos.devices.create(admin, { id: 'pb-1', modelId: 'camera', stateCode: 'OAX' }, 'hash-2')).rejects.toMatchObject({
      code: 'CENTINELA_ERR_CONFLICT',
    });
    expect(await t.repos.devices.get('pb-1')).toMatchObject({ modelId: 'panic-button', stateCode: 'GRO' });
    expect(await t.repos.devices.credentials('pb-1')).toMatchObject({ secretHash: 'hash-1' });
  });

  it('keeps an intact audit chain and reports the first entry edited behind its back', async () => {
    for (let i = 0; i < 5; i++)
      await t.repos.audit.record(systemActor('test'), { action: 'read', recordType: 'beneficiary', recordId: `ben_${i}` });
    expect(await t.repos.audit.verify()).toEqual({ ok: true, entries: 5 });

    // The application cannot edit the log...
    await expect(sql`update audit_log set record_id = 'ben_x' where seq = 3`.execute(t.store.db)).rejects.toThrow(/append-only/);
    // ...so a tamperer with database rights drops the guard first; verify still finds the edit.
    if (engine === 'sqlite') await sql`drop trigger audit_log_no_update`.execute(t.store.db);
    else await sql`alter table audit_log disable trigger audit_log_no_change`.execute(t.store.db);
    await sql`update audit_log set record_id = 'ben_x' where seq = 3`.execute(t.store.db);
    expect(await t.repos.audit.verify()).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('stores a retransmitted alarm once and joins a repeat press to the open alarm', async () => {
    await t.repos.devices.create(admin, { id: 'pb-2', modelId: 'panic-button', stateCode: 'CHP' }, 'h');
    const press = {
      deviceId: 'pb-2',
      deviceAlarmId: 'a-1',
      kind: 'panic' as const,
      test: false,
      raisedAt: 1000,
      receivedAt: 1000,
      clockSuspect: false,
      beneficiaryId: null,
    };
    const first = await t.repos.alarmIntake.record(press);
    const again = await t.repos.alarmIntake.record(press);
    const repeat = await t.repos.alarmIntake.record({ ...press, deviceAlarmId: 'a-2', receivedAt: 2000 });
    expect(first).toMatchObject({ outcome: 'opened', pressCount: 1, severity: 'high' });
    expect(again).toEqual({ ...first, outcome: 'duplicate' });
    expect(repeat).toMatchObject({ outcome: 'joined', alarmId: first.alarmId, pressCount: 2 });
    const rows = await t.store.db.selectFrom('alarms').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ press_count: 2, last_press_at: 2000 });
  });

  it("answers an alarm's latest fix: the newest repeat press that carried one, else the first press's", async () => {
    await t.repos.devices.create(admin, { id: 'pb-3', modelId: 'panic-button', stateCode: 'CHP' }, 'h');
    const base = { deviceId: 'pb-3', kind: 'panic' as const, test: false, clockSuspect: false, beneficiaryId: null };
    const first = { lat: 16.75, lon: -93.11 };
    const second = { lat: 16.76, lon: -93.12, acc: 20 };
    const opened = await t.repos.alarmIntake.record({ ...base, deviceAlarmId: 'f-1', raisedAt: 1000, receivedAt: 1000, loc: first });
    const alarm = await t.repos.alarms.require(opened.alarmId);
    expect(await t.repos.alarms.latestFix(alarm)).toEqual({ loc: first, at: 1000 });
    await t.repos.alarmIntake.record({ ...base, deviceAlarmId: 'f-2', raisedAt: 2000, receivedAt: 2000, loc: second });
    // Newer presses without a fix, one whose note reads like one, do not move it.
    await t.repos.alarmIntake.record({
      ...base,
      deviceAlarmId: 'f-3',
      raisedAt: 3000,
      receivedAt: 3000,
      note: 'sin señal "loc":{"lat":0,"lon":0}',
    });
    await t.repos.alarmIntake.record({ ...base, deviceAlarmId: 'f-4', raisedAt: 4000, receivedAt: 4000 });
    expect(await t.repos.alarms.latestFix(alarm)).toEqual({ loc: second, at: 2000 });
  });
});
