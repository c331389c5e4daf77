import { describe, expect, it } from 'vitest';
import { raiseAlarm, seedCase } from './fixtures/alerts-world.ts';
import { addConsoleUser, browserSuite, logIn, openConsole, screenshot, seeText, unlabelledControls } from './fixtures/browser.ts';

/** P5: a genuine alarm reopens the case; a supervisor takes the review and closes it with a note. */
const suite = browserSuite();

describe('the supervisor console', () => {
  it('lists the case review a genuine alarm opened, assigns it to the supervisor and closes it with a note', async () => {
    const world = await seedCase(suite.t.centinela);
    // The engine opens the alarm (copies its policy) after the intake: resolve once it has.
    let opened: (id: string) => void = () => {};
    const openedIds = new Promise<string>((resolve) => {
      opened = resolve;
    });
    const off = suite.t.centinela.parts.alerts.stream.subscribe('supervisor', (m) => {
      if (m.event === 'alarm.opened') opened(String(m.data.alarmId));
    });
    const alarmId = await raiseAlarm(suite.t.centinela, { deviceId: world.deviceId, beneficiaryId: world.beneficiary.id });
    expect(await openedIds).toBe(alarmId);
    off();
    // The action plan (issue 18) is closed by a supervisor's override before the resolution.
    await suite.t.centinela.parts.alerts.plans.override(alarmId, 'worked by phone', { id: 'test', via: 'api' });
    await suite.t.centinela.parts.alerts.resolve(alarmId, { id: 'test', via: 'api' }, 'genuine', 'attack confirmed');

    const supervisor = await addConsoleUser(suite.t, 'supervisor');
    const { context, page, problems } = await openConsole(suite.browser, suite.t.centinela.httpUrl);
    await logIn(page, supervisor.name);
    await page.getByRole('link', { name: 'Revisiones' }).click();
    const review = page.locator('article.review', { hasText: alarmId });
    await review.waitFor();
    await seeText(review, 'Alarma genuina');
    await review.getByRole('button', { name: 'Asignármela' }).click();
    await seeText(page.locator('[role="status"]'), 'Revisión asignada a usted.');
    await seeText(page.locator('article.review', { hasText: alarmId }), 'usted');
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'supervisor-reviews');
    await page.getByLabel('Nota de cierre (qué se reevaluó)').fill('Riesgo elevado a extraordinario; se añade escolta.');
    await page.getByRole('button', { name: 'Cerrar la revisión' }).click();
    await seeText(page.locator('[role="status"]'), 'Revisión cerrada.');
    await page.getByText('No hay revisiones de caso abiertas.').waitFor();
    // Supervisors also see the reports, whole.
    await page.getByRole('link', { name: 'Informes' }).click();
    await page.locator('#report-csv').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
