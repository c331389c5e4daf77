import { describe, expect, it } from 'vitest';
import { alarmRow, systemActor } from '../src/store/index.ts';
import { consoleSuite, screenshot, seeText, unlabelledControls } from './fixtures/browser.ts';
import type { TestCentinela } from './fixtures/centinela.ts';

/**
 * A supervisor reviewing a case after an attack in a remote municipality: the person's panic
 * button could not bring help in time (3 h 40 min), and the supervisor records a change of measure.
 */
const admin = systemActor('test');
const DAY = 86_400_000;
const MIN = 60_000;

const supervisor = consoleSuite('supervisor', { seed: reviewedCase });

/** One person in a remote municipality, three genuine alarms where help took 3 h 40 min to arrive, and the open review of the latest. */
async function reviewedCase(t: TestCentinela) {
  const now = Date.now();
  const installed = now - 120 * DAY;
  await t.centinela.repos.beneficiaries.create(admin, {
    id: 'ben-gyc',
    alias: 'Sierra 01',
    fullName: 'Persona Revisada',
    kind: 'defender',
    stateCode: 'CHH',
    municipality: 'Guadalupe y Calvo',
    riskLevel: 'high',
    language: 'es',
    presumedAggressors: [],
  });
  await t.centinela.repos.devices.create(
    admin,
    { id: 'pb-gyc', modelId: 'panic-button', beneficiaryId: 'ben-gyc', stateCode: 'CHH', installedAt: new Date(installed).toISOString() },
    'not-a-real-hash',
  );
  const db = t.centinela.store.db;
  await db
    .insertInto('health_intervals')
    .values({ id: 'int-gyc', device_id: 'pb-gyc', state: 'online', started_at: installed, ended_at: null })
    .execute();
  const alarms = [5, 20, 40].map((daysAgo) => {
    const at = now - daysAgo * DAY;
    return alarmRow({
      id: `alm-gyc-${daysAgo}`,
      device_id: 'pb-gyc',
      beneficiary_id: 'ben-gyc',
      kind: 'panic',
      severity: 'high',
      test: 0,
      raised_at: at,
      received_at: at,
      state: 'resolved',
      acknowledged_at: at + 10_000,
      dispatched_at: at + MIN,
      on_scene_at: at + 220 * MIN,
      resolved_at: at + 260 * MIN,
      outcome: 'genuine',
    });
  });
  await db.insertInto('alarms').values(alarms).execute();
  await db
    .insertInto('case_reviews')
    .values({
      id: 'rev-gyc',
      alarm_id: 'alm-gyc-5',
      beneficiary_id: 'ben-gyc',
      state: 'open',
      reason: 'genuine alarm',
      opened_at: now - 5 * DAY,
    })
    .execute();
}

describe("the supervisor's case view of suitability", () => {
  it("shows the person's measures with the verdict and records a suggested change on the case review", async () => {
    const { page } = supervisor;
    await page.getByRole('link', { name: 'Idoneidad' }).click();
    await page.getByRole('heading', { name: 'Idoneidad de las medidas', level: 1 }).waitFor();
    await page.locator('#suitability-cases button[data-review="rev-gyc"]').click();
    await seeText(page.locator('#person-measures'), 'Botón de pánico: No adecuada');
    await seeText(page.locator('#person-measures'), 'ayuda en el lugar p50 3 h 40 min — un botón no puede traer ayuda a tiempo');
    await page.getByLabel('Cambio de medida propuesto').fill('Acompañamiento presencial en lugar del botón');
    await page.getByRole('button', { name: 'Registrar en la revisión' }).click();
    await seeText(page.locator('#suggestion-form'), 'Sugerencia registrada en la revisión del caso.');
    const saved = await supervisor.t.centinela.store.db.selectFrom('case_review_suggestions').selectAll().execute();
    expect(saved).toMatchObject([
      { case_review_id: 'rev-gyc', beneficiary_id: 'ben-gyc', suggestion: 'Acompañamiento presencial en lugar del botón' },
    ]);
    expect(JSON.parse(saved[0]?.verdicts ?? '{}')).toEqual({ panic_button: 'unsuitable' });
    await screenshot(page, 'supervisor-suitability-case');
    expect(await unlabelledControls(page)).toEqual([]);
    expect(supervisor.problems).toEqual([]);
  });
});
