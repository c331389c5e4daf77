import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { DevicePath } from '../src/domain/device-paths.ts';
import type { PathAvailabilityReport, PathAvailabilityRow } from '../src/domain/reports-paths.ts';
import type { GroupBy } from '../src/domain/reports-types.ts';
import { buildPathReport } from '../src/health/path-report-service.ts';
import { PathSupervision } from '../src/health/path-supervision.ts';
import { createLogger, ManualClock } from '../src/platform/index.ts';
import { systemActor } from '../src/store/index.ts';
import { startTestCentinela, type TestCentinela } from './fixtures/centinela.ts';
import { ENGINES, freshStore, type TestStore } from './fixtures/databases.ts';

/** 00:00 of 1 June 2026 in Mexico City: the start of the centre's month. */
const T0 = Date.UTC(2026, 5, 1, 6);
const MIN = 60_000;
const at = (min: number) => T0 + min * MIN;
const TZ = 'America/Mexico_City';
const admin = systemActor('test');
const logger = createLogger({ level: 'silent' });

/** Cellular beats every 2 min (window 3 min), the satellite bearer every 15 min (window 45 min). */
const DUAL = [
  { path: 'cellular' as const, windowS: 180 },
  { path: 'satellite' as const, windowS: 2700 },
];

describe.each(ENGINES)('availability per path of dual-path devices on %s', (engine) => {
  let db: TestStore;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(T0);
    db = await freshStore(engine, clock);
  });
  afterEach(async () => {
    await db.cleanup();
  });

  const device = async (id: string, modelId = 'panic-button', beneficiaryId: string | null = null) => {
    await db.repos.devices.create(
      admin,
      { id, modelId, beneficiaryId, stateCode: 'GRO', installedAt: new Date(T0 - 86_400_000).toISOString() },
      'x',
    );
  };
  const person = async (n: number) =>
    (
      await db.repos.beneficiaries.create(admin, {
        alias: `Persona ${n}`,
        fullName: `Persona Protegida ${n}`,
        kind: 'defender',
        stateCode: 'GRO',
        riskLevel: 'high',
        language: 'es',
        presumedAggressors: [],
      })
    ).id;
  const report = (to: number, options: { groupBy?: GroupBy; suppress?: boolean; from?: number; asOf?: number } = {}) =>
    buildPathReport(
      db.repos,
      { from: options.from ?? T0, to, groupBy: options.groupBy ?? 'kind' },
      { asOf: options.asOf ?? to, timeZone: TZ, suppressSmallGroups: options.suppress ?? false },
    );
  const total = (r: PathAvailabilityReport, path: DevicePath) => r.totals.find((t) => t.path === path);
  const row = (r: PathAvailabilityReport, group: string, path: DevicePath) => r.rows.find((x) => x.group === group && x.path === path);

  /**
   * Drives supervision minute by minute: each device's cellular beat every 2 min, and its
   * satellite beat every 15 min unless `satelliteQuiet` says that minute is quiet; a check every
   * 2 min (the timer's job).
   */
  async function run(
    paths: PathSupervision,
    fromMin: number,
    toMin: number,
    beats: { cellular: string[]; satellite: string[] },
    satelliteQuiet: (min: number) => boolean = () => false,
  ) {
    for (let m = fromMin; m <= toMin; m++) {
      clock.set(at(m));
      if (m % 2 === 0) for (const id of beats.cellular) await paths.heard(id, 'lte', at(m));
      if (m % 15 === 0 && !satelliteQuiet(m)) for (const id of beats.satellite) await paths.heard(id, 'iridium', at(m));
      if (m % 2 === 0) await paths.check(at(m));
    }
  }

  test('a device losing its satellite path for 1 h of a 10 h period: satellite 90 %, cellular 100 %; a single-path device only counts for cellular', async () => {
    await device('dual-1');
    await device('single-1');
    await device('plain-1'); // no declared paths: not in this report at all
    await db.repos.devicePaths.declare('dual-1', DUAL, T0);
    await db.repos.devicePaths.declare('single-1', [{ path: 'cellular', windowS: 180 }], T0);
    const paths = new PathSupervision({ repos: db.repos, clock, logger });
    await paths.refresh(T0);
    // The satellite is last heard at 2 h; 45 min later (checked at 2 h 46 min) it is lost, and it
    // is heard again at 3 h 46 min: one hour down.
    const beats = { cellular: ['dual-1', 'single-1'], satellite: ['dual-1'] };
    await run(paths, 0, 225, beats, (m) => m > 120);
    await paths.heard('dual-1', 'iridium', at(226));
    await run(paths, 226, 600, beats);

    const r = await report(at(600));
    expect(total(r, 'satellite')).toMatchObject({ devices: 1, availability: 0.9, lostEpisodes: 1, downHours: 1, supervisedDays: 0.4167 });
    expect(total(r, 'cellular')).toMatchObject({ devices: 2, availability: 1, lostEpisodes: 0, downHours: 0 });
    expect(r.totals.map((t) => t.path)).toEqual(['cellular', 'satellite']);
    expect(r.rows).toEqual([
      expect.objectContaining({ group: 'panic_button', path: 'cellular', devices: 2, availability: 1 }),
      expect.objectContaining({ group: 'panic_button', path: 'satellite', devices: 1, availability: 0.9 }),
    ]);
    expect(r).toMatchObject({ report: 'path-availability', noData: false, suppressedGroups: 0, timeZone: TZ });
    // The path_degraded incident the loss opened is the technicians' view of the same hour.
    const [incident] = await db.repos.incidents.list({ deviceId: 'dual-1' });
    expect(incident).toMatchObject({ kind: 'path_degraded', durationMs: 60 * MIN });
  });

  test('Centinela down mid-interval: the outage counts neither up nor down, and each path gets a fresh window at the next start', async () => {
    await device('dual-1');
    await db.repos.devicePaths.declare('dual-1', DUAL, T0);
    await db.repos.centreOutages.recordStart(T0, 1000);
    const before = new PathSupervision({ repos: db.repos, clock, logger });
    await before.refresh(T0);
    // The satellite falls quiet after 1 h: lost at 1 h 46 min, still down when the centre dies at 2 h.
    await run(before, 0, 120, { cellular: ['dual-1'], satellite: ['dual-1'] }, (m) => m > 60);
    await db.repos.centreOutages.stamp(at(120));
    expect((await db.repos.devicePaths.of('dual-1'))?.paths.map((p) => [p.path, p.lost])).toEqual([
      ['cellular', false],
      ['satellite', true],
    ]);

    // Crash at 2 h (nothing closed); the next start is at 5 h. Both paths were last heard 3 h ago,
    // yet neither is lost at the first check: the centre's downtime was not theirs.
    clock.set(at(300));
    expect(await db.repos.centreOutages.recordStart(at(300), 1000)).toEqual([at(120), at(300)]);
    const after = new PathSupervision({ repos: db.repos, clock, logger });
    await after.refresh(at(300));
    expect(await after.check(at(301))).toBe(0);
    // The satellite is heard again 10 min after the start.
    await run(after, 302, 309, { cellular: ['dual-1'], satellite: [] });
    await after.heard('dual-1', 'iridium', at(310));
    await run(after, 310, 600, { cellular: ['dual-1'], satellite: ['dual-1'] });

    const r = await report(at(600));
    // Supervised 600 − 180 (the outage) = 420 min = 7 h. Satellite down 106–120 and 300–310 min:
    // 24 min; the down interval open through the crash counts only outside the outage.
    expect(total(r, 'satellite')).toMatchObject({ availability: 0.9429, downHours: 0.4, lostEpisodes: 1, supervisedDays: 0.2917 });
    expect(total(r, 'cellular')).toMatchObject({ availability: 1, downHours: 0, lostEpisodes: 0, supervisedDays: 0.2917 });
  });

  test('paths declared before the history was kept get it from the next start, in the state they are in', async () => {
    await device('dual-1');
    await db.repos.devicePaths.declare('dual-1', DUAL, T0);
    await db.repos.devicePaths.markLost('dual-1', 'satellite', at(10));
    // As after migration 019 on a database that already had declared paths: no history at all.
    await db.store.db.deleteFrom('device_path_intervals').execute();
    const paths = new PathSupervision({ repos: db.repos, clock, logger });
    await paths.refresh(at(60));
    await paths.heard('dual-1', 'iridium', at(90));
    const r = await report(at(120));
    // From 60 min: satellite down 30 of 60 min, cellular up throughout.
    expect(total(r, 'satellite')).toMatchObject({ availability: 0.5, supervisedDays: 0.0417 });
    expect(total(r, 'cellular')).toMatchObject({ availability: 1 });
  });

  test("analysts: a path's small group is withheld with another, so the path's total minus the rows shown never gives it; a path of too few people is withheld whole", async () => {
    let n = 0;
    const fleet: { id: string; model: string }[] = [];
    for (const [model, count] of [
      ['panic-button', 6],
      ['satellite-phone', 2],
      ['camera', 7],
    ] as const)
      for (let i = 0; i < count; i++) {
        const id = `${model}-${i}`;
        await device(id, model, await person(++n));
        // Two of the cameras' people also have a wired path: too few for any wired figure.
        const wired = model === 'camera' && i < 2 ? [{ path: 'wired' as const, windowS: 600 }] : [];
        await db.repos.devicePaths.declare(id, [...DUAL, ...wired], T0);
        fleet.push({ id, model });
      }
    await db.repos.devicePaths.markLost('satellite-phone-0', 'satellite', at(60));
    await db.repos.devicePaths.heard('satellite-phone-0', 'satellite', at(180));
    const asOf = at(600);
    const month = { from: T0, to: Date.UTC(2026, 6, 1, 6), asOf };

    const full = await report(month.to, { ...month });
    // One of the two satellite phones lost its satellite for 2 of 10 h: (8 + 10) ÷ 20 h.
    expect(row(full, 'satellite_phone', 'satellite')).toMatchObject({ suppressed: false, beneficiaries: 2, availability: 0.9 });
    expect(full.suppressedGroups).toBe(0);

    const analyst = await report(month.to, { ...month, suppress: true });
    for (const path of ['cellular', 'satellite'] as const) {
      const rows = analyst.rows.filter((r) => r.path === path);
      expect(row(analyst, 'satellite_phone', path)).toMatchObject({ suppressed: true, availability: null, devices: null, path });
      // Withheld with the smallest other group (6 people): Total − cameras gives both together, 8 people.
      expect(row(analyst, 'panic_button', path)).toMatchObject({ suppressed: true, supervisedDays: null });
      expect(row(analyst, 'camera', path)).toMatchObject({ suppressed: false, beneficiaries: 7 });
      const shown = rows.filter((r) => !r.suppressed);
      const t = total(analyst, path) as PathAvailabilityRow;
      expect(t).toMatchObject({ suppressed: false, beneficiaries: 15 });
      const left = (t.supervisedDays ?? 0) - shown.reduce((s, r) => s + (r.supervisedDays ?? 0), 0);
      const hidden = row(full, 'satellite_phone', path)?.supervisedDays ?? 0;
      expect(left).toBeGreaterThan(hidden + 0.01);
    }
    // Wired: 2 people in all, so its total and its one row are withheld.
    expect(total(analyst, 'wired')).toMatchObject({ suppressed: true, availability: null });
    expect(row(analyst, 'camera', 'wired')).toMatchObject({ suppressed: true });
    expect(analyst.suppressedGroups).toBe(5);
    // Grouped by model (models nest in kinds; one model per kind here): the same groups withheld.
    const byModel = await report(month.to, { ...month, suppress: true, groupBy: 'model' });
    expect(byModel.rows.filter((r) => r.suppressed).map((r) => `${r.group}/${r.path}`)).toEqual([
      'camera/wired',
      'panic-button/cellular',
      'panic-button/satellite',
      'satellite-phone/cellular',
      'satellite-phone/satellite',
    ]);
  });

  test('a period with no declared path in service answers noData, not withheld figures', async () => {
    await device('plain-1');
    const r = await report(at(600), { suppress: true });
    expect(r).toMatchObject({ noData: true, rows: [], totals: [], suppressedGroups: 0 });
  });
});

describe.each(ENGINES)('the path-availability report over HTTP on %s', (engine) => {
  let t: TestCentinela | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  test('supervisors get the figures, analysts get a lone person withheld, technicians are refused; CSV has the totals', async () => {
    const JUL1 = Date.UTC(2026, 6, 1, 12);
    const DAY = 86_400_000;
    t = await startTestCentinela(engine, { clock: new ManualClock(JUL1) });
    const { repos } = t.centinela;
    const ben = await repos.beneficiaries.create(admin, {
      alias: 'Garza',
      fullName: 'Persona Garza',
      kind: 'journalist',
      stateCode: 'OAX',
      riskLevel: 'high',
      language: 'es',
      presumedAggressors: [],
    });
    await repos.devices.create(
      admin,
      { id: 'dual-9', modelId: 'satellite-phone', beneficiaryId: ben.id, stateCode: 'OAX', installedAt: '2026-06-01T00:00:00Z' },
      'x',
    );
    // Declared on 2 June; the satellite lost for a day from 11 June: 28 of 29 days up.
    const june = (d: number) => Date.UTC(2026, 5, d, 6);
    await repos.devicePaths.declare('dual-9', DUAL, june(2));
    await repos.devicePaths.markLost('dual-9', 'satellite', june(11));
    await repos.devicePaths.heard('dual-9', 'satellite', june(11) + DAY);
    const get = async (role: keyof TestCentinela['tokens'], query: string) => {
      const res = await t?.centinela.app.inject({
        method: 'GET',
        url: `/api/reports/path-availability?${query}`,
        headers: { authorization: `Bearer ${t.tokens[role]}` },
      });
      return { status: res?.statusCode, json: () => res?.json(), text: res?.body ?? '', headers: res?.headers ?? {} };
    };
    const june2026 = 'from=2026-06-01&to=2026-07-01';

    const sup = await get('supervisor', `${june2026}&groupBy=state`);
    expect(sup.status).toBe(200);
    expect(sup.json()).toMatchObject({ report: 'path-availability', groupBy: 'state', timeZone: 'America/Mexico_City', noData: false });
    expect(sup.json().rows).toEqual([
      expect.objectContaining({ group: 'OAX', path: 'cellular', suppressed: false, devices: 1, availability: 1 }),
      expect.objectContaining({ group: 'OAX', path: 'satellite', suppressed: false, devices: 1, availability: 0.9655, lostEpisodes: 1 }),
    ]);

    const analyst = await get('analyst', june2026);
    expect(analyst.status).toBe(200);
    // One person in the whole month: every row and both totals withheld, never shown as zeros.
    expect(analyst.json().totals).toEqual([
      expect.objectContaining({ group: 'total', path: 'cellular', suppressed: true, availability: null }),
      expect.objectContaining({ group: 'total', path: 'satellite', suppressed: true, availability: null }),
    ]);
    expect(analyst.json().rows.every((r: PathAvailabilityRow) => r.suppressed && r.availability === null)).toBe(true);

    const csv = await get('admin', `${june2026}&format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('group,path,suppressed,beneficiaries,devices,supervisedDays,availability,lostEpisodes,downHours');
    expect(lines.filter((l) => l.startsWith('total,'))).toHaveLength(2);
    expect(lines.find((l) => l.startsWith('satellite_phone,satellite,'))).toMatch(/^satellite_phone,satellite,false,1,1,29,0\.9655,1,24$/);

    expect((await get('technician', june2026)).status).toBe(403);
    expect((await get('operator', june2026)).status).toBe(403);
    expect((await get('analyst', 'groupBy=planet')).status).toBe(400);
    expect((await get('analyst', 'from=2026-06-10&to=2026-06-01')).status).toBe(400);
  });
});
