import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { hashSecret } from '../src/platform/secrets.ts';
import { alarmRow, systemActor } from '../src/store/index.ts';
import { consoleSuite, screenshot, seeText, unlabelledControls } from './fixtures/browser.ts';

/**
 * Analysts judge the measures from aggregates: six people carry panic buttons (a group big
 * enough to show), two have cameras (a group of fewer than five: suppressed, P6), and five have
 * satellite phones (withheld with the cameras, so Total − buttons gives only the two together).
 * Each person has had one alarm whose action plan was worked: panic for the buttons, fall for
 * the cameras, intrusion for the satellite phones (issue 18's plan-steps report).
 */
const admin = systemActor('test');

/**
 * Some history so the chart has bars: each device was online for part of its 40 days, written
 * as the closed liveness intervals and daily heartbeat counts health keeps.
 */
async function history(deviceId: string, onlineDays: number) {
  const installed = Date.parse(daysAgo(40));
  const db = analyst.t.centinela.store.db;
  await db
    .insertInto('health_intervals')
    .values({
      id: `int-${deviceId}`,
      device_id: deviceId,
      state: 'online',
      started_at: installed,
      ended_at: installed + onlineDays * 86_400_000,
    })
    .execute();
  const firstDay = Math.ceil(installed / 86_400_000) * 86_400_000;
  for (let d = 0; d < onlineDays - 1; d++)
    await db
      .insertInto('health_heartbeat_days')
      .values({ device_id: deviceId, day: firstDay + d * 86_400_000, received: 1300, clock_suspect: 0 })
      .execute();
}

async function protectedPerson(
  n: number,
  modelId: string,
  stateCode: 'VER' | 'OAX' | 'CHH',
  [alarmKind, skipped]: ['panic' | 'fall' | 'intrusion', number],
) {
  const b = await analyst.t.centinela.repos.beneficiaries.create(admin, {
    alias: `Garza ${n}`,
    fullName: `Persona Analizada ${n}`,
    kind: 'defender',
    stateCode,
    riskLevel: 'high',
    language: 'es',
    presumedAggressors: [],
  });
  await analyst.t.centinela.repos.devices.create(
    admin,
    { id: `rep-${modelId}-${n}`, modelId, beneficiaryId: b.id, stateCode, requestedAt: daysAgo(50), installedAt: daysAgo(40) },
    await hashSecret('s'),
  );
  await history(`rep-${modelId}-${n}`, 20 + 3 * n);
  // Issue 18: buttons and satellite phones have a cellular and a satellite path, cameras a
  // cellular and a wired one (windows long enough that the running centre never loses them).
  const second = modelId === 'camera' ? 'wired' : 'satellite';
  await analyst.t.centinela.repos.devicePaths.declare(
    `rep-${modelId}-${n}`,
    [
      { path: 'cellular', windowS: 7 * 86_400 },
      { path: second, windowS: 7 * 86_400 },
    ],
    Date.parse(daysAgo(40)),
  );
  if (n === 1) {
    await analyst.t.centinela.repos.devicePaths.markLost(`rep-${modelId}-${n}`, 'satellite', Date.parse(daysAgo(10)));
    await analyst.t.centinela.repos.devicePaths.heard(`rep-${modelId}-${n}`, 'satellite', Date.parse(daysAgo(9)));
  }
  await alarmWithPlan(n, `rep-${modelId}-${n}`, b.id, alarmKind, skipped);
}
/**
 * An alarm received two hours ago, resolved, with a four-step plan of which `skipped` were
 * skipped and the rest done, written as alerts keeps them.
 */
async function alarmWithPlan(n: number, deviceId: string, beneficiaryId: string, kind: 'panic' | 'fall' | 'intrusion', skipped: number) {
  const { db } = analyst.t.centinela.store;
  const { alarms, actionPlans } = analyst.t.centinela.repos;
  const at = Date.now() - 2 * 3_600_000;
  const id = `alm-plan-${n}`;
  await db
    .insertInto('alarms')
    .values(
      alarmRow({
        id,
        device_id: deviceId,
        beneficiary_id: beneficiaryId,
        kind,
        severity: 'high',
        test: 0,
        raised_at: at,
        received_at: at,
        state: 'resolved',
        resolved_at: at + 600_000,
        outcome: 'genuine',
      }),
    )
    .execute();
  const keys = ['call-beneficiary', 'security-question', 'call-contact-1', 'call-responder'] as const;
  const types = ['call_beneficiary', 'security_question', 'call_contact', 'call_responder'] as const;
  await alarms.transaction(async (tx) => {
    await actionPlans.attach(
      tx,
      id,
      kind,
      keys.map((key, index) => ({ key, index, type: types[index] ?? 'call_beneficiary', title: key, after: [], source: 'plan' as const })),
      at,
    );
    for (const [i, key] of keys.entries())
      await actionPlans.mark(
        tx,
        id,
        key,
        i < skipped ? { status: 'skipped', outcome: null, reason: 'not needed' } : { status: 'done', outcome: 'ok', reason: null },
        'usr-operator',
        at + 60_000,
      );
  });
}
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

const analyst = consoleSuite('analyst', {
  seed: async () => {
    // Skipped steps: one in each of three panic alarms, two in one fall, none in intrusions.
    for (let n = 1; n <= 6; n++) await protectedPerson(n, 'panic-button', 'VER', ['panic', n <= 3 ? 1 : 0]);
    for (let n = 7; n <= 8; n++) await protectedPerson(n, 'camera', 'OAX', ['fall', n === 7 ? 2 : 0]);
    for (let n = 9; n <= 13; n++) await protectedPerson(n, 'satellite-phone', 'CHH', ['intrusion', 0]);
  },
});

describe('the analyst console', () => {
  it('renders the reliability report as a chart and a table, with the small group shown as suppressed', async () => {
    const { page } = analyst;
    await page.locator('#report-table').waitFor();
    await page.locator('#report-chart canvas').waitFor();
    await seeText(page.locator('#report-table tbody tr'), 'Botón de pánico');
    const camera = page.locator('#report-table tbody tr', { hasText: 'Cámara' });
    await seeText(camera, 'Suprimido para proteger a las personas');
    expect(await camera.getAttribute('class')).toContain('is-suppressed');
    const satellite = page.locator('#report-table tbody tr', { hasText: 'satelital' });
    expect(await satellite.getAttribute('class')).toContain('is-suppressed');
    await seeText(page.locator('#suppressed-note'), '2 grupo(s) suprimido(s)');
    await page.locator('#suppression-rule summary').click();
    await seeText(page.locator('#suppression-rule'), 'al menos dos cuyas personas juntas llegan a 5');
    await seeText(page.locator('#report-days'), 'America/Mexico_City');
    await screenshot(page, 'analyst-reliability');
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it('downloads the report as CSV', async () => {
    const { page } = analyst;
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#report-csv').click()]);
    expect(download.suggestedFilename()).toBe('reliability-kind.csv');
    const csv = await readFile((await download.path()) as string, 'utf8');
    const [header, ...lines] = csv.trim().split('\n');
    expect(header?.split(',')).toEqual(expect.arrayContaining(['group', 'suppressed', 'availability', 'heartbeatDelivery']));
    expect(lines.some((l) => l.startsWith('panic_button,false,6,'))).toBe(true);
    expect(lines.some((l) => l.startsWith('camera,true,'))).toBe(true);
  });

  it('renders cost-effectiveness by Mexican state and by month', async () => {
    const { page } = analyst;
    await page.getByLabel('Informe').selectOption('cost');
    await page.getByLabel('Agrupar por').selectOption('state');
    await page.getByRole('button', { name: 'Generar' }).click();
    await seeText(page.locator('#report-table thead'), 'Costo por día protegido (MXN)');
    await seeText(page.locator('#report-table tbody'), 'VER');
    await page.locator('#report-chart canvas').waitFor();
    await screenshot(page, 'analyst-cost-state');
    await page.getByLabel('Agrupar por').selectOption('month');
    await page.getByRole('button', { name: 'Generar' }).click();
    await seeText(page.locator('#report-table tfoot'), 'Total');
    await page.locator('#report-chart canvas').waitFor();
    expect(analyst.problems).toEqual([]);
  });

  it('renders availability per path: one row per group and path, a total per path, small groups withheld', async () => {
    const { page } = analyst;
    await page.getByLabel('Informe').selectOption('path-availability');
    await page.getByLabel('Agrupar por').selectOption('kind');
    await page.getByRole('button', { name: 'Generar' }).click();
    await seeText(page.locator('#report-table thead'), 'Vía');
    await seeText(page.locator('#report-paths-note'), 'cada dispositivo cuenta en las vías que tiene');
    const row = (group: string, path: string) =>
      page
        .locator('#report-table tbody tr')
        .filter({ hasText: group })
        .filter({ has: page.locator('td.path', { hasText: path }) });
    // Satellite: buttons (6 people) and satellite phones (5): both shown.
    await seeText(row('Botón de pánico', 'Satelital'), '%');
    expect(await row('Botón de pánico', 'Satelital').getAttribute('class')).not.toContain('is-suppressed');
    // Cellular: cameras (2 people) withheld with satellite phones (the smallest shown, 5).
    await seeText(row('Cámara', 'Celular'), 'Suprimido para proteger a las personas');
    expect(await row('Teléfono satelital', 'Celular').getAttribute('class')).toContain('is-suppressed');
    // Wired: only the cameras' 2 people, so its total is withheld too.
    const totals = page.locator('#report-table tfoot tr');
    expect(await totals.count()).toBe(3);
    await seeText(totals.filter({ has: page.locator('td.path', { hasText: 'Fija' }) }), 'Suprimido para proteger a las personas');
    await seeText(totals.filter({ has: page.locator('td.path', { hasText: 'Satelital' }) }), '%');
    await seeText(page.locator('#suppressed-note'), '3 grupo(s) suprimido(s)');
    await page.locator('#report-chart canvas').waitFor();
    await screenshot(page, 'analyst-paths');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#report-csv').click()]);
    expect(download.suggestedFilename()).toBe('path-availability-kind.csv');
    const csv = await readFile((await download.path()) as string, 'utf8');
    expect(csv.split('\n')[0]).toBe('group,path,suppressed,beneficiaries,devices,supervisedDays,availability,lostEpisodes,downHours');
    expect(csv).toMatch(/^camera,cellular,true,,/m);
    expect(await unlabelledControls(page)).toEqual([]);
    expect(analyst.problems).toEqual([]);
  });

  it('renders plan steps skipped per alarm kind: the group-by control disabled, small kinds withheld, the total shown, CSV', async () => {
    const { page } = analyst;
    await page.getByLabel('Informe').selectOption('plan-steps');
    expect(await page.getByLabel('Agrupar por').isDisabled()).toBe(true);
    await seeText(page.locator('#report-group-note'), 'solo por tipo de alarma');
    await page.getByRole('button', { name: 'Generar' }).click();
    await seeText(page.locator('#report-table thead'), 'Proporción omitida');
    await seeText(page.locator('#report-table thead'), 'Tipo de alarma');
    // Panic: six people, six alarms of four steps, three skipped.
    const panic = page.locator('#report-table tbody tr', { hasText: 'Pánico' });
    expect(await panic.locator('td').allTextContents()).toEqual(['6', '24', '3', expect.stringMatching(/^12[.,]5\s?%$/)]);
    // Falls: two people, too few; withheld with intrusions (five), the smallest shown.
    for (const kind of ['Caída', 'Intrusión']) {
      const row = page.locator('#report-table tbody tr', { hasText: kind });
      await seeText(row, 'Suprimido para proteger a las personas');
      expect(await row.getAttribute('class')).toContain('is-suppressed');
    }
    expect(await page.locator('#report-table tfoot td').allTextContents()).toEqual([
      '13',
      '52',
      '5',
      expect.stringMatching(/^9[.,]6\s?%$/),
    ]);
    await seeText(page.locator('#suppressed-note'), '2 grupo(s) suprimido(s)');
    await page.locator('#report-chart canvas').waitFor();
    await screenshot(page, 'analyst-plan-steps');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#report-csv').click()]);
    expect(download.suggestedFilename()).toBe('plan-steps.csv');
    const csv = await readFile((await download.path()) as string, 'utf8');
    expect(csv.trim().split('\n')).toEqual([
      'kind,suppressed,alarms,steps,skipped,skippedRatio',
      'fall,true,,,,',
      'intrusion,true,,,,',
      'panic,false,6,24,3,0.125',
      'total,false,13,52,5,0.09615384615384616',
    ]);
    // Back to a grouped report: the control is enabled again.
    await page.getByLabel('Informe').selectOption('reliability');
    expect(await page.getByLabel('Agrupar por').isDisabled()).toBe(false);
    expect(await page.locator('#report-group-note').isHidden()).toBe(true);
    expect(await unlabelledControls(page)).toEqual([]);
    expect(analyst.problems).toEqual([]);
  });

  it('switches to English in one click', async () => {
    const { page } = analyst;
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'English' }).click()]);
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    await page.locator('#report-table').waitFor();
    await seeText(page.locator('#report-table thead'), 'Availability');
    await screenshot(page, 'analyst-reliability-en');
    await page.getByLabel('Report').selectOption('path-availability');
    await page.getByRole('button', { name: 'Run' }).click();
    await seeText(page.locator('#report-table thead'), 'Path');
    await seeText(page.locator('#report-table tbody'), 'Satellite');
    await seeText(page.locator('#report-table tfoot'), 'Withheld to protect people');
    await page.getByLabel('Report').selectOption('plan-steps');
    await page.getByRole('button', { name: 'Run' }).click();
    await seeText(page.locator('#report-table thead'), 'Share skipped');
    await seeText(page.locator('#report-table tbody'), 'Panic');
    await seeText(page.locator('#report-table tbody tr', { hasText: 'Fall' }), 'Withheld to protect people');
  });

  it('opens the suitability page: a verdict per state and kind, cameras withheld, unknown municipalities counted', async () => {
    const { page } = analyst;
    await page.getByRole('link', { name: 'Suitability' }).click();
    await page.getByRole('heading', { name: 'Suitability of measures', level: 1 }).waitFor();
    const buttons = page.locator('#suitability-panic_button tbody tr', { hasText: 'VER' });
    await seeText(buttons, '6');
    expect(await buttons.locator('td.verdict strong').textContent()).toMatch(/^(Suitable|Doubtful|Unsuitable)$/);
    const cameras = page.locator('#suitability-camera tbody tr').first();
    await seeText(cameras, 'Withheld to protect people');
    await seeText(page.locator('#suitability-unknown'), 'VER: 6 device(s) with no or a doubtful municipality');
    await screenshot(page, 'analyst-suitability-en');
    expect(await unlabelledControls(page)).toEqual([]);
    expect(analyst.problems).toEqual([]);
  });

  it('shows no one by name', async () => {
    const text = await analyst.page.content();
    for (const n of [1, 7]) {
      expect(text).not.toContain(`Persona Analizada ${n}`);
      expect(text).not.toContain(`Garza ${n}`);
    }
  });
});
