import { afterEach, describe, expect, it } from 'vitest';
import { EventBus, type EventName } from '../events/index.ts';
import { createLogger, ManualClock } from '../platform/index.ts';
import {
  createRepositories,
  loadCatalogue,
  migrateToLatest,
  openStore,
  type Repositories,
  type Store,
  systemActor,
  WriteQueue,
} from '../store/index.ts';
import { DeviceDirectory } from './device-directory.ts';
import { wireGatewayLiveness } from './gateway-liveness.ts';
import { ProtectionGaps } from './protection-gaps.ts';
import { ServiceWindows } from './service-windows.ts';
import { Supervision } from './supervision.ts';
import { Supervisor } from './supervisor.ts';

const T0 = Date.UTC(2026, 5, 1, 12);
const S = 1000;
const actor = systemActor('test');
const logger = createLogger({ level: 'silent' });

/** Supervision alone on an in-memory SQLite database, on a manual clock: no server, no timers. */
async function memoryDatabase(clock: ManualClock): Promise<{ store: Store; repos: Repositories }> {
  const store = await openStore({ kind: 'sqlite', file: ':memory:' });
  await migrateToLatest(store.db, store.engine);
  const repos = createRepositories(store, clock);
  await repos.deviceModels.upsertAll(await loadCatalogue());
  return { store, repos };
}

/** One run of Centinela's supervision (a restart is a second run on the same database). */
async function startSupervision(repos: Repositories, clock: ManualClock, writeLog = logger) {
  const events = new EventBus(logger);
  const heard: { name: EventName; deviceId?: string }[] = [];
  for (const name of ['device.state.changed', 'device.silent', 'device.recovered'] as const)
    events.on(name, (e) => void heard.push({ name, deviceId: e.deviceId }));
  const writes = new WriteQueue(writeLog);
  const directory = new DeviceDirectory(repos.supervisedDevices);
  const gaps = new ProtectionGaps(directory);
  const supervisor = new Supervisor({ directory, liveness: repos.liveness, gaps, events, writes });
  const supervision = new Supervision({ directory, supervisor, gaps, repos, writes, clock, logger });
  const windows = new ServiceWindows({ supervision, directory, repos, writes, clock });
  await supervision.load();
  await supervision.takeOver();
  await windows.load(clock.now());
  await writes.drain();
  return {
    events,
    heard,
    supervision,
    windows,
    state: (id: string) => supervisor.liveness(id)?.state,
    async advance(ms: number) {
      clock.advance(ms);
      if (supervision.tick(clock.now())) windows.due(clock.now());
      await writes.drain();
    },
    async hear(id: string) {
      supervision.seen(id);
      await writes.drain();
    },
    writes: () => writes.drain(),
  };
}

async function addButton(repos: Repositories, clock: ManualClock, id: string): Promise<void> {
  await repos.devices.create(
    actor,
    { id, modelId: 'panic-button', beneficiaryId: null, stateCode: 'VER', installedAt: new Date(clock.now() - 86_400_000).toISOString() },
    'not-a-real-hash',
  );
}

describe('supervision on a manual clock', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('a panic button that stops beating is late at 90 s and offline at 180 s, with an open incident', async () => {
    const clock = new ManualClock(T0);
    const db = await memoryDatabase(clock);
    store = db.store;
    await addButton(db.repos, clock, 'btn-1');
    const run = await startSupervision(db.repos, clock);
    await run.hear('btn-1');
    expect(run.state('btn-1')).toBe('online');

    await run.advance(89 * S);
    expect(run.state('btn-1')).toBe('online');
    await run.advance(1 * S);
    expect(run.state('btn-1')).toBe('late');
    await run.advance(89 * S);
    expect(run.state('btn-1')).toBe('late');
    await run.advance(1 * S);
    expect(run.state('btn-1')).toBe('offline');
    expect(run.heard.filter((e) => e.name === 'device.silent')).toEqual([{ name: 'device.silent', deviceId: 'btn-1' }]);
    const incidents = await db.repos.incidents.list({ open: true });
    expect(incidents.map((i) => [i.deviceId, i.kind, i.openedAt])).toEqual([['btn-1', 'offline', new Date(T0 + 180 * S).toISOString()]]);

    await run.hear('btn-1');
    expect(run.state('btn-1')).toBe('online');
    expect(run.heard.at(-1)).toEqual({ name: 'device.recovered', deviceId: 'btn-1' });
    expect(await db.repos.incidents.list({ open: true })).toEqual([]);
  });

  it('a last will that overtakes the news of the connection it ends (two nodes) still leaves the device disconnected; a newer connection does not', async () => {
    const clock = new ManualClock(T0);
    const db = await memoryDatabase(clock);
    store = db.store;
    await addButton(db.repos, clock, 'btn-1');
    const run = await startSupervision(db.repos, clock);
    const offs = run.supervision.listen(run.events);
    // Node B relays the will (sent at T0 + 2 s) before node A relays the `online` of T0 + 1 s.
    run.events.emit('device.disconnected', { deviceId: 'btn-1', at: T0 + 2 * S, lastWill: true });
    run.events.emit('device.connected', { deviceId: 'btn-1', at: T0 + 1 * S });
    await run.writes();
    expect(run.state('btn-1')).toBe('disconnected');
    // The device comes back: that connection is newer than the will.
    run.events.emit('device.connected', { deviceId: 'btn-1', at: T0 + 3 * S });
    await run.writes();
    expect(run.state('btn-1')).toBe('online');
    for (const off of offs) off();
  });

  it('a heartbeat received before the last will but relayed after it does not show the vanished device online', async () => {
    const clock = new ManualClock(T0);
    const db = await memoryDatabase(clock);
    store = db.store;
    await addButton(db.repos, clock, 'btn-1');
    const run = await startSupervision(db.repos, clock);
    const offs = run.supervision.listen(run.events);
    run.events.emit('device.connected', { deviceId: 'btn-1', at: T0 });
    await run.writes();
    expect(run.state('btn-1')).toBe('online');
    // Node B relays the will (received at T0 + 2 s) before node A relays a heartbeat received at T0 + 1 s.
    run.events.emit('device.disconnected', { deviceId: 'btn-1', at: T0 + 2 * S, lastWill: true });
    const heartbeat = { ts: T0 + S, seq: 1, battery: 90, signal: { network: 'lte' as const } };
    run.events.emit('heartbeat.received', { deviceId: 'btn-1', at: T0 + S, receivedAt: T0 + S, clockSuspect: false, heartbeat });
    await run.writes();
    expect(run.state('btn-1')).toBe('disconnected');
    // A heartbeat received after the will is the device back.
    run.events.emit('heartbeat.received', { deviceId: 'btn-1', at: T0 + 3 * S, receivedAt: T0 + 3 * S, clockSuspect: false, heartbeat });
    await run.writes();
    expect(run.state('btn-1')).toBe('online');
    for (const off of offs) off();
  });

  it('two devices registered after the start and heard at once are both online, with no failed write', async () => {
    const clock = new ManualClock(T0);
    const db = await memoryDatabase(clock);
    store = db.store;
    const failures: string[] = [];
    const writeLog = createLogger({ level: 'error', destination: { write: (line: string) => void failures.push(line) } });
    const run = await startSupervision(db.repos, clock, writeLog);
    // Registered after supervision read the registry: each is looked up when first heard.
    await addButton(db.repos, clock, 'btn-new-1');
    await addButton(db.repos, clock, 'btn-new-2');
    run.supervision.seen('btn-new-1');
    run.supervision.seen('btn-new-2');
    await run.advance(0);

    expect(failures).toEqual([]);
    expect([run.state('btn-new-1'), run.state('btn-new-2')]).toEqual(['online', 'online']);
    const stored = await db.repos.liveness.loadAll();
    expect([stored.get('btn-new-1')?.state, stored.get('btn-new-2')?.state]).toEqual(['online', 'online']);
  });

  it('after Centinela was down an hour, its devices get a fresh window instead of an offline storm', async () => {
    const clock = new ManualClock(T0);
    const db = await memoryDatabase(clock);
    store = db.store;
    for (const id of ['btn-1', 'btn-2', 'btn-3']) await addButton(db.repos, clock, id);
    const first = await startSupervision(db.repos, clock);
    for (const id of ['btn-1', 'btn-2', 'btn-3']) await first.hear(id);
    first.supervision.standDown();

    clock.advance(3_600 * S);
    const second = await startSupervision(db.repos, clock);
    await second.advance(1 * S);
    expect(['btn-1', 'btn-2', 'btn-3'].map(second.state)).toEqual(['online', 'online', 'online']);
    expect(second.heard.filter((e) => e.name === 'device.silent')).toEqual([]);

    // The fresh window runs from the restart: silent devices are offline 180 s after it, not before.
    await second.hear('btn-1');
    await second.advance(178 * S);
    expect(second.state('btn-2')).toBe('late');
    await second.advance(1 * S);
    expect(['btn-1', 'btn-2', 'btn-3'].map(second.state)).toEqual(['late', 'offline', 'offline']);
  });

  it('a device in a maintenance window is not declared offline, and comes back with a fresh window', async () => {
    const clock = new ManualClock(T0);
    const db = await memoryDatabase(clock);
    store = db.store;
    await addButton(db.repos, clock, 'btn-1');
    const run = await startSupervision(db.repos, clock);
    await run.hear('btn-1');
    await run.windows.scheduleMaintenance(actor, 'btn-1', T0 + 10 * S, T0 + 3_600 * S, 'battery swap');

    await run.advance(10 * S);
    expect(run.state('btn-1')).toBe('maintenance');
    for (let i = 0; i < 10; i += 1) await run.advance(300 * S);
    expect(run.state('btn-1')).toBe('maintenance');
    expect(run.heard.filter((e) => e.name === 'device.silent')).toEqual([]);

    await run.advance(3_600 * S - 3_010 * S);
    expect(run.state('btn-1')).not.toBe('maintenance');
    expect(run.state('btn-1')).not.toBe('offline');
    await run.advance(180 * S);
    expect(run.state('btn-1')).toBe('offline');
  });

  it('devices behind a protocol gateway that dies say "gateway down" with a technician incident, never silent', async () => {
    const clock = new ManualClock(T0);
    const db = await memoryDatabase(clock);
    store = db.store;
    for (const id of ['gt-1', 'gt-2']) await addButton(db.repos, clock, id);
    const run = await startSupervision(db.repos, clock);
    wireGatewayLiveness(run.events, run.supervision, logger);
    for (const id of ['gt-1', 'gt-2']) await run.hear(id);

    run.events.emit('gateway.down', { gateway: 'gt06', at: clock.now(), reason: 'listener failed', deviceIds: ['gt-1', 'gt-2'] });
    await run.advance(0);
    expect(['gt-1', 'gt-2'].map(run.state)).toEqual(['gateway_down', 'gateway_down']);
    await run.advance(3_600 * S);
    expect(['gt-1', 'gt-2'].map(run.state)).toEqual(['gateway_down', 'gateway_down']);
    expect(run.heard.filter((e) => e.name === 'device.silent')).toEqual([]);
    const open = await db.repos.incidents.list({ open: true });
    expect(open.map((i) => [i.deviceId, i.kind]).sort()).toEqual([
      ['gt-1', 'gateway_down'],
      ['gt-2', 'gateway_down'],
    ]);

    // Back: a fresh window; gt-1 is heard, gt-2 stays quiet a whole window and is then silent.
    run.events.emit('gateway.up', { gateway: 'gt06', at: clock.now() });
    await run.advance(0);
    expect(await db.repos.incidents.list({ open: true })).toEqual([]);
    await run.advance(100 * S);
    await run.hear('gt-1');
    await run.advance(80 * S);
    expect(['gt-1', 'gt-2'].map(run.state)).toEqual(['online', 'offline']);
    expect(run.heard.filter((e) => e.name === 'device.silent')).toEqual([{ name: 'device.silent', deviceId: 'gt-2' }]);
  });

  it('a stored state Centinela does not know is reported, and the other devices are still supervised', async () => {
    const clock = new ManualClock(T0);
    const db = await memoryDatabase(clock);
    store = db.store;
    for (const id of ['btn-1', 'btn-2']) await addButton(db.repos, clock, id);
    const first = await startSupervision(db.repos, clock);
    for (const id of ['btn-1', 'btn-2']) await first.hear(id);
    first.supervision.standDown();
    // A disk fault or a hand edit: the row no longer holds a liveness state.
    db.store.sqlite?.prepare("update health_liveness set state = 'zombie' where device_id = 'btn-2'").run();

    const reported: unknown[] = [];
    db.repos.badRows.listen((err) => reported.push({ code: err.code, ...err.details }));
    const second = await startSupervision(db.repos, clock);
    expect(reported).toEqual([{ code: 'CENTINELA_ERR_STORE_BAD_ROW', table: 'health_liveness', id: 'btn-2', field: 'state' }]);
    expect(second.state('btn-1')).toBe('online');
    await second.advance(180 * S);
    expect(second.state('btn-1')).toBe('offline');
    // The device whose row was bad starts afresh and is supervised again once heard.
    await second.hear('btn-2');
    expect(second.state('btn-2')).toBe('online');
  });
});
