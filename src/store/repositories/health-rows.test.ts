import { afterEach, describe, expect, it } from 'vitest';
import type { CentinelaError } from '../../domain/errors.ts';
import { ManualClock } from '../../platform/clock.ts';
import { systemActor } from '../actor.ts';
import { loadCatalogue } from '../catalogue.ts';
import { openStore, type Store } from '../database.ts';
import { migrateToLatest } from '../migrations/index.ts';
import { createRepositories, type Repositories } from './index.ts';

const T0 = Date.UTC(2026, 5, 1, 12);

/** Rows that do not match the domain types are caught here, at the store's edge, and named. */
describe('health rows at the store edge', () => {
  let store: Store | undefined;
  let repos: Repositories;
  const reported: CentinelaError[] = [];
  afterEach(async () => {
    await store?.close();
    reported.length = 0;
  });

  async function open(): Promise<void> {
    const clock = new ManualClock(T0);
    store = await openStore({ kind: 'sqlite', file: ':memory:' });
    await migrateToLatest(store.db, store.engine);
    repos = createRepositories(store, clock);
    await repos.deviceModels.upsertAll(await loadCatalogue());
    repos.badRows.listen((err) => reported.push(err));
    for (const id of ['btn-1', 'btn-2'])
      await repos.devices.create(
        systemActor('test'),
        { id, modelId: 'panic-button', beneficiaryId: null, stateCode: 'VER', installedAt: new Date(T0).toISOString() },
        'not-a-real-hash',
      );
  }

  it('maps liveness rows to domain states and leaves out a row with an unknown state, naming table, id and field', async () => {
    await open();
    await repos.liveness.recordNeverSeen(['btn-1', 'btn-2'], T0);
    await store?.db.updateTable('health_liveness').set({ state: 'zombie' }).where('device_id', '=', 'btn-2').execute();
    const states = await repos.liveness.loadAll();
    expect([...states.keys()]).toEqual(['btn-1']);
    expect(states.get('btn-1')).toEqual({ state: 'never_seen', since: T0, lastSeenAt: null, windowFrom: null, deadline: null });
    expect(reported.map((e) => [e.code, e.message, e.details])).toEqual([
      [
        'CENTINELA_ERR_STORE_BAD_ROW',
        expect.stringContaining('health_liveness "btn-2": field state'),
        { table: 'health_liveness', id: 'btn-2', field: 'state' },
      ],
    ]);
  });

  it('parses event detail once; corrupt JSON is reported with its table, id and field and the other events are read', async () => {
    await open();
    await repos.healthTelemetry.recordEvent('btn-1', 'ingest_rejected', T0, { reason: 'bad_json' });
    await repos.healthTelemetry.recordEvent('btn-1', 'reboot', T0 + 1, null);
    const corrupt = await store?.db.selectFrom('health_device_events').select('id').where('kind', '=', 'reboot').executeTakeFirstOrThrow();
    await store?.db
      .updateTable('health_device_events')
      .set({ detail: '{"reason": tru' })
      .where('id', '=', corrupt?.id ?? '')
      .execute();
    const events = await repos.healthTelemetry.events('btn-1', 0, ['reboot', 'ingest_rejected']);
    expect(events).toEqual([{ kind: 'ingest_rejected', at: T0, detail: { reason: 'bad_json' } }]);
    expect(reported[0]?.details).toEqual({ table: 'health_device_events', id: corrupt?.id, field: 'detail' });
  });

  it('an incident of an unknown kind is left out of the list; known ones come back as domain incidents', async () => {
    await open();
    await repos.incidents.open('btn-1', 'test_overdue', T0);
    await repos.incidents.open('btn-2', 'test_overdue', T0 + 1);
    await store?.db.updateTable('health_incidents').set({ kind: 'haunted' }).where('device_id', '=', 'btn-2').execute();
    const list = await repos.incidents.list({});
    expect(list).toEqual([
      {
        id: expect.any(String),
        deviceId: 'btn-1',
        kind: 'test_overdue',
        openedAt: new Date(T0).toISOString(),
        closedAt: null,
        durationMs: null,
        closedReason: null,
      },
    ]);
    expect(reported[0]?.details).toMatchObject({ table: 'health_incidents', field: 'kind' });
  });

  it('reading one device whose row is bad throws the coded error instead of handing on a half-read device', async () => {
    await open();
    await store?.db.updateTable('device_models').set({ heartbeat_interval_s: -5 }).where('id', '=', 'panic-button').execute();
    await expect(repos.supervisedDevices.one('btn-1')).rejects.toMatchObject({
      code: 'CENTINELA_ERR_STORE_BAD_ROW',
      details: { table: 'devices', id: 'btn-1', field: 'model_heartbeat_interval_s' },
    });
  });

  it('a report over a device whose model says neither yes nor no to alarms fails naming the model, not with a bare parse error', async () => {
    await open();
    await store?.db.updateTable('device_models').set({ alarm_capable: 7 }).where('id', '=', 'panic-button').execute();
    await expect(
      repos.healthReports.deviceHistories('', { from: T0 - 86_400_000, to: T0 + 86_400_000, asOf: T0, months: [] }, 10),
    ).rejects.toMatchObject({
      code: 'CENTINELA_ERR_STORE_BAD_ROW',
      details: { table: 'device_models', id: 'panic-button', field: 'alarm_capable' },
    });
  });

  it('the path-availability report over such a model fails the same way, naming the model', async () => {
    await open();
    await store?.db
      .insertInto('device_path_intervals')
      .values({ id: 'pi-1', device_id: 'btn-1', path: 'cellular', state: 'up', started_at: T0, ended_at: null })
      .execute();
    await store?.db.updateTable('device_models').set({ alarm_capable: 7 }).where('id', '=', 'panic-button').execute();
    await expect(repos.pathReports.pathHistories('', { from: T0 - 86_400_000, to: T0 + 86_400_000 }, 10)).rejects.toMatchObject({
      code: 'CENTINELA_ERR_STORE_BAD_ROW',
      details: { table: 'device_models', id: 'panic-button', field: 'alarm_capable' },
    });
  });
});
