import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import {
  createRepositories,
  type Database,
  loadCatalogue,
  migrateThrough,
  migrateToLatest,
  openStore,
  type Store,
} from '../src/store/index.ts';
import { AlarmNoteRepository } from '../src/store/repositories/alarm-notes.ts';
import { ENGINES, type EngineName, PG_URL, requirePostgres } from './fixtures/databases.ts';

const admin = { id: 'usr_admin', role: 'admin' as const };
const operator = { id: 'usr_op', role: 'operator' as const };
const T = Date.parse('2026-05-04T12:00:00.500Z');

/** The schema as it shipped before migration 019, so the upgrade runs on rows that exist. */
async function migrateTo(store: Store, last: string): Promise<void> {
  await migrateThrough(store.db, store.engine, last);
}

async function openEmpty(engine: EngineName): Promise<{ store: Store; cleanup(): Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-test-'));
    const store = await openStore({ kind: 'sqlite', file: path.join(dir, 'centinela.db') });
    return {
      store,
      cleanup: async () => {
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  await requirePostgres();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const store = await openStore({ kind: 'postgres', url: PG_URL, schema, poolSize: 2 });
  return {
    store,
    cleanup: async () => {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
      await store.close();
    },
  };
}

describe.each(ENGINES)('upgrading the notes of an alarm to recorded order on %s', (engine) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it('keeps the notes already stored in the order and at the times they were shown, and orders new ones after them', async () => {
    const opened = await openEmpty(engine);
    cleanup = opened.cleanup;
    const { store } = opened;
    await migrateTo(store, '018-action-plans');
    const repos = createRepositories(store, new ManualClock(T));
    await repos.deviceModels.upsertAll(await loadCatalogue());
    const person = await repos.beneficiaries.create(admin, {
      alias: 'Colibrí',
      fullName: 'Persona Ficticia',
      kind: 'journalist',
      stateCode: 'GRO',
      riskLevel: 'high',
      language: 'es',
      presumedAggressors: [],
    });
    await repos.devices.create(admin, { id: 'pb-1', modelId: 'panic-button', beneficiaryId: person.id, stateCode: 'GRO' }, 'h');
    const { alarmId } = await repos.alarmIntake.record({
      deviceId: 'pb-1',
      deviceAlarmId: 'a-1',
      kind: 'panic',
      test: false,
      raisedAt: T - 60_000,
      receivedAt: T - 60_000,
      clockSuspect: false,
      beneficiaryId: person.id,
    });
    // As stored before: listed by time, then id.
    const old = (id: string, at: number, text: string) => ({
      id,
      alarm_id: alarmId,
      at,
      author_id: operator.id,
      kind: 'note',
      text,
      callee: null,
      phone: null,
      call_outcome: null,
    });
    await (store.db as Kysely<Database>)
      .insertInto('alarm_notes')
      .values([old('note_b', T, 'segunda'), old('note_a', T, 'primera'), old('note_0', T - 5, 'antes')])
      .execute();

    await migrateToLatest(store.db, store.engine);

    const notes = new AlarmNoteRepository(store.db, repos.audit, new ManualClock(T));
    const late = await notes.addNote(operator, alarmId, { text: 'tercera' });
    const earlier = await new AlarmNoteRepository(store.db, repos.audit, new ManualClock(T - 5)).addNote(operator, alarmId, {
      text: 'después de antes',
    });
    const listed = await notes.list(operator, alarmId);
    expect(listed.map((n) => [n.text, n.at])).toEqual([
      ['antes', new Date(T - 5).toISOString()],
      ['después de antes', new Date(T - 5).toISOString()],
      ['primera', new Date(T).toISOString()],
      ['segunda', new Date(T).toISOString()],
      ['tercera', new Date(T).toISOString()],
    ]);
    expect([late.at, earlier.at]).toEqual([new Date(T).toISOString(), new Date(T - 5).toISOString()]);
  });
});
