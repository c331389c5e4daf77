import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/index.ts';
import { alarmRow, systemActor } from '../src/store/index.ts';
import { callAs, startTestCentinela, type TestCentinela } from './fixtures/centinela.ts';
import { ENGINES } from './fixtures/databases.ts';

const NOW = Date.UTC(2026, 6, 1, 12);
const DAY = 86_400_000;
const MIN = 60_000;
const actor = systemActor('test');

describe.each(ENGINES)('suitability over HTTP on %s', (engine) => {
  let t: TestCentinela;
  afterEach(async () => {
    await t?.stop();
  });

  const call = (role: keyof TestCentinela['tokens'], method: string, url: string, body?: unknown) => callAs(t, role, method, url, body);

  /** A person with a panic button online for the last 120 days; help took `helpMin` after each of 3 alarms. */
  async function person(id: string, stateCode: 'CHH' | 'VER', municipality: string | undefined, helpMin: number) {
    const r = t.centinela.repos;
    await r.beneficiaries.create(actor, {
      id,
      alias: id,
      fullName: `Persona ${id}`,
      kind: 'defender',
      stateCode,
      ...(municipality ? { municipality } : {}),
      riskLevel: 'high',
      language: 'es',
      presumedAggressors: [],
    });
    const installed = NOW - 120 * DAY;
    await r.devices.create(
      actor,
      { id: `pb-${id}`, modelId: 'panic-button', beneficiaryId: id, stateCode, installedAt: new Date(installed).toISOString() },
      'not-a-real-hash',
    );
    const db = t.centinela.store.db;
    await db
      .insertInto('health_intervals')
      .values({ id: `int-${id}`, device_id: `pb-${id}`, state: 'online', started_at: installed, ended_at: null })
      .execute();
    // One beat a minute, every UTC day since installation (today's until noon).
    const days = Array.from({ length: 121 }, (_, i) => Math.floor(installed / DAY) * DAY + i * DAY).filter((d) => d < NOW);
    await db
      .insertInto('health_heartbeat_days')
      .values(
        days.map((day) => ({
          device_id: `pb-${id}`,
          day,
          received: Math.round((Math.min(NOW, day + DAY) - Math.max(installed, day)) / MIN),
          clock_suspect: 0,
        })),
      )
      .execute();
    const alarms = [10, 30, 50].map((daysAgo) => {
      const at = NOW - daysAgo * DAY;
      return alarmRow({
        id: `alm-${id}-${daysAgo}`,
        device_id: `pb-${id}`,
        beneficiary_id: id,
        kind: 'panic',
        severity: 'high',
        test: 0,
        raised_at: at,
        received_at: at,
        state: 'resolved',
        acknowledged_at: at + 10_000,
        dispatched_at: at + MIN,
        on_scene_at: at + helpMin * MIN,
        resolved_at: at + (helpMin + 30) * MIN,
        outcome: 'genuine',
      });
    });
    await db.insertInto('alarms').values(alarms).execute();
  }

  it('supervisors see the verdict per municipality; analysts get small cells withheld; technicians nothing', async () => {
    t = await startTestCentinela(engine, { clock: new ManualClock(NOW) });
    for (const n of [1, 2, 3, 4, 5, 6]) await person(`gyc-${n}`, 'CHH', 'Guadalupe y Calvo', 220);
    await person('gyc-7', 'CHH', 'Guadalupe y Calbo', 220); // misspelled: counted under unknown
    await person('chh-x', 'CHH', undefined, 220); // missing
    for (const n of [1, 2, 3, 4, 5]) await person(`xal-${n}`, 'VER', 'Xalapa', 25);

    const sup = await call('supervisor', 'GET', '/api/reports/suitability');
    expect(sup.status).toBe(200);
    const report = sup.json();
    const gyc = report.rows.find((r: { municipality: string | null }) => r.municipality === 'Guadalupe y Calvo');
    expect(gyc).toMatchObject({ kind: 'panic_button', state: 'CHH', people: 6, alarms: 18, onSceneP50Min: 220, verdict: 'unsuitable' });
    expect(gyc.reasons[0].text.es).toBe(
      'botones de pánico aquí: ayuda en el lugar p50 3 h 40 min — un botón no puede traer ayuda a tiempo',
    );
    expect(report.rows.find((r: { municipality: string | null }) => r.municipality === 'Xalapa')).toMatchObject({
      checkInShare: 1,
      verdict: 'suitable',
      reasons: [],
    });
    expect(report.unknownMunicipality).toEqual([{ state: 'CHH', devices: 2, missing: 1, doubtful: ['Guadalupe y Calbo'] }]);

    // Analysts: CHH's row minus Guadalupe y Calvo would give the 2 unknown people, so both are withheld with a partner.
    const analyst = await call('analyst', 'GET', '/api/reports/suitability?from=2026-04-01&to=2026-07-01');
    expect(analyst.status).toBe(200);
    const gycA = analyst.json().rows.find((r: { municipality: string | null }) => r.municipality === 'Guadalupe y Calvo');
    expect(gycA).toMatchObject({ suppressed: true, verdict: null });
    expect(JSON.stringify(analyst.json())).not.toContain('"people":6');

    const csv = await call('supervisor', 'GET', '/api/reports/suitability?format=csv&lang=en');
    expect(csv.text.split('\n')[0]).toMatch(/^state,municipality,kind,suppressed,people,devices,availability,checkInShare,/);
    expect(csv.text).toContain('panic buttons here: help on scene p50 3 h 40 min');

    expect((await call('technician', 'GET', '/api/reports/suitability')).status).toBe(403);
    expect((await call('analyst', 'GET', '/api/reports/suitability?from=2027-01-01')).status).toBe(400);
    const empty = await call('supervisor', 'GET', '/api/reports/suitability?from=2025-01-01&to=2025-02-01');
    expect(empty.json()).toMatchObject({ noData: true, rows: [] });
  });

  it("a supervisor sees one person's measures over 90 days (audited, not for analysts) and records a suggestion on the case review", async () => {
    t = await startTestCentinela(engine, { clock: new ManualClock(NOW) });
    await person('gyc-1', 'CHH', 'Guadalupe y Calvo', 220);
    const view = await call('supervisor', 'GET', '/api/beneficiaries/gyc-1/suitability');
    expect(view.status).toBe(200);
    expect(view.json().measures).toMatchObject([
      { kind: 'panic_button', devices: ['pb-gyc-1'], verdict: 'unsuitable', figures: { onSceneP50Min: 220, alarms: 3 } },
    ]);
    expect((await call('analyst', 'GET', '/api/beneficiaries/gyc-1/suitability')).status).toBe(403);
    expect((await call('supervisor', 'GET', '/api/beneficiaries/nobody/suitability')).status).toBe(404);
    const audit = await t.centinela.store.db
      .selectFrom('audit_log')
      .select(['record_type', 'record_id', 'detail'])
      .where('record_id', '=', 'gyc-1')
      .where('action', '=', 'read')
      .execute();
    expect(audit.some((a) => a.detail?.includes('suitability'))).toBe(true);

    await t.centinela.store.db
      .insertInto('case_reviews')
      .values({
        id: 'rev-1',
        alarm_id: 'alm-gyc-1-10',
        beneficiary_id: 'gyc-1',
        state: 'open',
        reason: 'genuine alarm',
        opened_at: NOW - DAY,
      })
      .execute();
    const suggestion = 'Cambiar el botón por acompañamiento presencial: la policía tarda horas';
    const saved = await call('supervisor', 'POST', '/api/case-reviews/rev-1/suitability-suggestion', { suggestion });
    expect(saved.status).toBe(201);
    expect(saved.json()).toMatchObject({ caseReviewId: 'rev-1', suggestion, verdicts: { panic_button: 'unsuitable' } });
    const created = await t.centinela.store.db
      .selectFrom('audit_log')
      .select(['action', 'record_id'])
      .where('record_type', '=', 'case_review_suggestion')
      .execute();
    expect(created).toEqual([{ action: 'create', record_id: saved.json().id }]);
    expect((await call('operator', 'POST', '/api/case-reviews/rev-1/suitability-suggestion', { suggestion })).status).toBe(403);
    expect((await call('supervisor', 'POST', '/api/case-reviews/rev-1/suitability-suggestion', { suggestion: '' })).status).toBe(400);
    const again = await call('supervisor', 'GET', '/api/beneficiaries/gyc-1/suitability');
    expect(again.json().suggestions).toMatchObject([{ caseReviewId: 'rev-1', suggestion }]);
  });
});
