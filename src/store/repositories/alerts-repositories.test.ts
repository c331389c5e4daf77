import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, freshStore, type TestStore } from '../../../test/fixtures/databases.ts';
import type { PolicyStep } from '../../domain/escalation.ts';
import { systemActor } from '../actor.ts';

const step = (s: Partial<PolicyStep>): PolicyStep => ({
  afterS: 0,
  target: 'operators',
  channel: 'console',
  untilAcknowledged: true,
  onDispatch: false,
  ...s,
});

describe.each(ENGINES)('alerts repositories on %s', (engine) => {
  let t: TestStore;
  let alarmId: string;
  const now = Date.parse('2026-03-02T12:00:00.000Z');
  beforeEach(async () => {
    t = await freshStore(engine);
    await t.repos.devices.create(systemActor('test'), { id: 'dev-1', modelId: 'panic-button', stateCode: 'VER' }, 'not-a-real-hash');
    ({ alarmId } = await t.repos.alarmIntake.record({
      deviceId: 'dev-1',
      deviceAlarmId: 'a-1',
      kind: 'panic',
      test: false,
      raisedAt: now,
      receivedAt: now,
      clockSuspect: false,
      beneficiaryId: null,
      loc: { lat: 19.54, lon: -96.91 },
    }));
  });
  afterEach(() => t.cleanup());

  it('returns an alarm as domain values: booleans, numbers, the parsed location', async () => {
    expect(await t.repos.alarms.require(alarmId)).toMatchObject({
      id: alarmId,
      state: 'open',
      severity: 'high',
      test: false,
      loc: { lat: 19.54, lon: -96.91 },
      policy: null,
      receivedAt: now,
      pressCount: 1,
    });
  });

  it('names the table, the id and the field of a row that does not match, and lists the other alarms', async () => {
    const other = await t.repos.alarmIntake.record({
      deviceId: 'dev-1',
      deviceAlarmId: 'a-2',
      kind: 'intrusion',
      test: false,
      raisedAt: now + 1,
      receivedAt: now + 1,
      clockSuspect: false,
      beneficiaryId: null,
    });
    await t.store.db.updateTable('alarms').set({ state: 'exploded' }).where('id', '=', alarmId).execute();
    await expect(t.repos.alarms.get(alarmId)).rejects.toMatchObject({
      code: 'CENTINELA_ERR_STORE_BAD_ROW',
      details: { table: 'alarms', id: alarmId, field: 'state' },
    });
    const listed = await t.repos.alarms.list({ open: true });
    expect(listed.items.map((a) => a.id)).toEqual([other.alarmId]);
    expect(listed.bad.map((e) => e.details)).toEqual([{ table: 'alarms', id: alarmId, field: 'state' }]);
  });

  it('an acknowledgement stops the steps that stop on it and leaves the others running; a resolution stops them all', async () => {
    await t.repos.alarms.transaction((tx) =>
      t.repos.escalationSteps.schedule(
        tx,
        alarmId,
        [
          { index: 0, step: step({}), dueAt: now },
          { index: 1, step: step({ target: 'contacts', channel: 'sms', untilAcknowledged: false }), dueAt: now },
        ],
        null,
      ),
    );
    const running = async () =>
      (await t.repos.alarms.transaction((tx) => t.repos.escalationSteps.ofAlarm(tx, alarmId))).items
        .filter((s) => s.doneAt === null)
        .map((s) => s.index);
    await t.repos.alarms.transaction((tx) => t.repos.escalationSteps.stopFor(tx, alarmId, now, 'acknowledged'));
    expect(await running()).toEqual([1]);
    await t.repos.alarms.transaction((tx) => t.repos.escalationSteps.stopFor(tx, alarmId, now, 'resolved'));
    expect(await running()).toEqual([]);
  });

  it('two nodes claiming due steps at once never get the same step', async () => {
    await t.repos.alarms.transaction((tx) =>
      t.repos.escalationSteps.schedule(
        tx,
        alarmId,
        Array.from({ length: 4 }, (_, index) => ({ index, step: step({}), dueAt: now })),
        null,
      ),
    );
    const claim = () =>
      t.repos.alarms.transaction(async (tx) => {
        const { items } = await t.repos.escalationSteps.claimDue(tx, now, 2);
        for (const s of items) await t.repos.escalationSteps.recordFiring(tx, s, now, null);
        return items.map((s) => s.id);
      });
    const [a, b] = await Promise.all([claim(), claim()]);
    expect(new Set([...(a ?? []), ...(b ?? [])]).size).toBe(4);
  });
});
