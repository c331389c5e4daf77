import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alarmSearchSchema } from '../src/domain/alarm-notes.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { AlarmNoteRepository } from '../src/store/repositories/alarm-notes.ts';
import { ENGINES, freshStore, type TestStore } from './fixtures/databases.ts';

const admin = { id: 'usr_admin', role: 'admin' as const };
const operator = { id: 'usr_op', role: 'operator' as const, requestId: 'req-7' };
const DAY = 86_400_000;

/** Notes, calls, addresses and the history search behave the same on SQLite and PostgreSQL. */
describe.each(ENGINES)('operator records on %s', (engine) => {
  let t: TestStore;
  let alarms: string[] = [];
  beforeEach(async () => {
    t = await freshStore(engine);
    const person = await t.repos.beneficiaries.create(admin, {
      alias: 'Colibrí',
      fullName: 'Persona Ficticia',
      kind: 'journalist',
      stateCode: 'GRO',
      municipality: 'Chilpancingo',
      riskLevel: 'high',
      language: 'es',
      presumedAggressors: [],
    });
    const other = await t.repos.beneficiaries.create(admin, {
      alias: 'Garza_Sur',
      fullName: 'Otra Persona',
      kind: 'defender',
      stateCode: 'OAX',
      riskLevel: 'ordinary',
      language: 'es',
      presumedAggressors: [],
    });
    await t.repos.devices.create(admin, { id: 'pb-1', modelId: 'panic-button', beneficiaryId: person.id, stateCode: 'GRO' }, 'h');
    await t.repos.devices.create(admin, { id: 'pb-2', modelId: 'panic-button', beneficiaryId: other.id, stateCode: 'OAX' }, 'h');
    const now = Date.now();
    const press = async (deviceId: string, beneficiaryId: string, kind: 'panic' | 'test', at: number) =>
      (
        await t.repos.alarmIntake.record({
          deviceId,
          deviceAlarmId: `a-${at}`,
          kind,
          test: kind === 'test',
          raisedAt: at,
          receivedAt: at,
          clockSuspect: false,
          beneficiaryId,
        })
      ).alarmId;
    alarms = [
      await press('pb-1', person.id, 'panic', now - 10 * DAY),
      await press('pb-1', person.id, 'test', now - 5 * DAY),
      await press('pb-2', other.id, 'panic', now - DAY),
    ];
    await t.store.db
      .updateTable('alarms')
      .set({ state: 'resolved', outcome: 'genuine' })
      .where('id', '=', alarms[0] as string)
      .execute();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const search = (q: Record<string, unknown>) => t.repos.alarmHistory.search(operator, alarmSearchSchema.parse(q));

  it('finds alarms by part of an alias in any case, newest first, and audits the read of aliases', async () => {
    const found = await search({ alias: 'COLIB' });
    expect(found.items.map((a) => a.id)).toEqual([alarms[1], alarms[0]]);
    expect(found.items[0]).toMatchObject({ alias: 'Colibrí', kind: 'test', test: true });
    const audit = await t.repos.audit.list({ recordType: 'beneficiary', recordId: '*' });
    expect(audit[0]).toMatchObject({ actor_id: 'usr_op', action: 'list', request_id: 'req-7' });
  });

  it('filters by device, kind, outcome, real or test and dates, and pages', async () => {
    expect((await search({ deviceId: 'pb-2' })).items.map((a) => a.id)).toEqual([alarms[2]]);
    expect((await search({ outcome: 'genuine' })).items.map((a) => a.id)).toEqual([alarms[0]]);
    expect((await search({ test: 'test' })).items.map((a) => a.id)).toEqual([alarms[1]]);
    expect((await search({ test: 'real', kind: 'panic' })).items.map((a) => a.id)).toEqual([alarms[2], alarms[0]]);
    const from = new Date(Date.now() - 6 * DAY).toISOString();
    const to = new Date(Date.now() - 2 * DAY).toISOString();
    expect((await search({ from, to })).items.map((a) => a.id)).toEqual([alarms[1]]);
    const first = await search({ limit: 2 });
    expect(first).toMatchObject({ more: true });
    expect((await search({ limit: 2, offset: 2 })).items.map((a) => a.id)).toEqual([alarms[0]]);
  });

  it('treats % and _ typed in the alias as letters, not wildcards', async () => {
    expect((await search({ alias: '%' })).items).toEqual([]);
    expect((await search({ alias: 'a_s' })).items.map((a) => a.alias)).toEqual(['Garza_Sur']);
    expect((await search({ alias: "'; drop table alarms; --" })).items).toEqual([]);
  });

  it('keeps notes and calls on an alarm in order, each write and read audited, and refuses an unknown alarm', async () => {
    const id = alarms[2] as string;
    await t.repos.alarmNotes.addNote(operator, id, { text: 'Sin respuesta en casa' });
    await t.repos.alarmNotes.addCall(operator, id, { callee: 'Hermana', phone: '+527471110001', outcome: 'no_answer' });
    const notes = await t.repos.alarmNotes.list(operator, id);
    expect(notes.map((n) => [n.kind, n.text, n.callee, n.phone, n.outcome, n.authorId])).toEqual([
      ['note', 'Sin respuesta en casa', null, null, null, 'usr_op'],
      ['call', null, 'Hermana', '+527471110001', 'no_answer', 'usr_op'],
    ]);
    const audit = await t.repos.audit.list({ recordType: 'alarm_note' });
    expect(audit.map((e) => e.action).sort()).toEqual(['create', 'create', 'list']);
    await expect(t.repos.alarmNotes.addNote(operator, 'alm_nope', { text: 'x' })).rejects.toMatchObject({
      code: 'CENTINELA_ERR_NOT_FOUND',
    });
  });

  it('keeps notes and calls recorded in the same millisecond in order, each with the time it was recorded', async () => {
    const id = alarms[2] as string;
    const instant = Date.parse('2026-06-01T18:30:00.123Z');
    const notes = new AlarmNoteRepository(t.store.db, t.repos.audit, new ManualClock(instant));
    const first = await notes.addCall(operator, id, { callee: 'Hermana', phone: '+527471110001', outcome: 'no_answer' });
    const second = await notes.addNote(operator, id, { text: 'Se envía patrulla' });
    const third = await notes.addCall(operator, id, { callee: 'Vecino', phone: '+527471110002', outcome: 'reached' });
    expect([first.at, second.at, third.at]).toEqual(Array(3).fill('2026-06-01T18:30:00.123Z'));
    const listed = await notes.list(operator, id);
    expect(listed.map((n) => [n.id, n.at])).toEqual([first, second, third].map((n) => [n.id, '2026-06-01T18:30:00.123Z']));
    const stored = await t.store.db.selectFrom('alarm_notes').select('at').where('alarm_id', '=', id).execute();
    expect(stored.map((r) => Number(r.at))).toEqual([instant, instant, instant]);
  });

  it('stores registered addresses with coordinates and audits who read them', async () => {
    const [person] = await t.repos.beneficiaries.list(admin);
    const id = person?.id as string;
    await t.repos.addresses.create(admin, {
      beneficiaryId: id,
      label: 'Domicilio',
      line: 'Calle 1',
      stateCode: 'GRO',
      lat: 17.55,
      lon: -99.5,
    });
    expect(await t.repos.addresses.list(operator, id)).toMatchObject([{ label: 'Domicilio', lat: 17.55, lon: -99.5, municipality: null }]);
    const audit = await t.repos.audit.list({ recordType: 'beneficiary_address', recordId: id });
    expect(audit[0]).toMatchObject({ actor_id: 'usr_op', action: 'list' });
  });
});
