import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { PathSupervision } from '../src/health/path-supervision.ts';
import { createLogger, ManualClock } from '../src/platform/index.ts';
import { systemActor } from '../src/store/index.ts';
import { ENGINES, freshStore, type TestStore } from './fixtures/databases.ts';

const T0 = Date.parse('2026-05-04T10:00:00Z');
const admin = systemActor('test');

describe.each(ENGINES)('dual-path devices on %s', (engine) => {
  let db: TestStore;
  let clock: ManualClock;
  let paths: PathSupervision;
  beforeEach(async () => {
    clock = new ManualClock(T0);
    db = await freshStore(engine, clock);
    paths = new PathSupervision({ repos: db.repos, clock, logger: createLogger({ level: 'silent' }) });
    await db.repos.devices.create(admin, { id: 'dual-1', modelId: 'panic-button', stateCode: 'GRO' }, 'x');
    // Cellular beats every minute (window 3 min), the satellite bearer every 15 min (window 45 min).
    await db.repos.devicePaths.declare(
      'dual-1',
      [
        { path: 'cellular', windowS: 180 },
        { path: 'satellite', windowS: 2700 },
      ],
      T0,
    );
  });
  afterEach(async () => {
    await db.cleanup();
  });

  const at = (min: number) => T0 + min * 60_000;
  const openIncidents = async () => (await db.repos.incidents.list({ open: true, deviceId: 'dual-1' })).map((i) => i.kind);

  test('losing the cellular path while the satellite still speaks opens "path degraded"; the cellular coming back closes it', async () => {
    await paths.heard('dual-1', 'lte', at(0));
    await paths.heard('dual-1', 'iridium', at(0));
    await paths.heard('dual-1', 'iridium', at(15));
    expect(await paths.check(at(2))).toBe(0);
    expect(await paths.check(at(16))).toBe(1);
    expect(await openIncidents()).toEqual(['path_degraded']);
    // Checked again (or by another node): still one incident, nothing newly lost.
    expect(await paths.check(at(17))).toBe(0);
    expect(await openIncidents()).toEqual(['path_degraded']);
    await paths.heard('dual-1', 'lte', at(18));
    expect(await openIncidents()).toEqual([]);
    const closed = await db.repos.incidents.list({ open: false, deviceId: 'dual-1' });
    expect(closed[0]).toMatchObject({ kind: 'path_degraded', closedReason: 'path restored', durationMs: 2 * 60_000 });
  });

  test('losing both paths is the device going silent, not a degraded path', async () => {
    await paths.heard('dual-1', 'lte', at(0));
    await paths.heard('dual-1', 'iridium', at(0));
    await paths.check(at(4));
    expect(await openIncidents()).toEqual(['path_degraded']);
    expect(await paths.check(at(46))).toBe(1);
    expect(await openIncidents()).toEqual([]);
    expect((await db.repos.devicePaths.of('dual-1'))?.paths.every((p) => p.lost)).toBe(true);
  });

  test('a path never heard since it was declared counts from the declaration', async () => {
    await paths.heard('dual-1', 'lte', at(0));
    await paths.heard('dual-1', 'lte', at(43));
    expect(await paths.check(at(44))).toBe(0);
    expect(await paths.check(at(46))).toBe(1);
    expect(await openIncidents()).toEqual(['path_degraded']);
  });

  test('an alarm sent over both paths with one id is one alarm', async () => {
    const press = {
      deviceId: 'dual-1',
      deviceAlarmId: 'sos-77',
      kind: 'panic' as const,
      test: false,
      raisedAt: at(1),
      clockSuspect: false,
      beneficiaryId: null,
    };
    const cellular = await db.repos.alarmIntake.record({ ...press, receivedAt: at(1) });
    const satellite = await db.repos.alarmIntake.record({ ...press, receivedAt: at(3) });
    expect(cellular.outcome).toBe('opened');
    expect(satellite).toMatchObject({ outcome: 'duplicate', alarmId: cellular.alarmId, pressCount: 1 });
  });
});
