import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/store/index.ts';
import { seedCase } from './fixtures/alerts-world.ts';
import { addConsoleUser, launchBrowser, logIn, openConsole, screenshot, seeText } from './fixtures/browser.ts';
import { startTestCentinela, type TestCentinela } from './fixtures/centinela.ts';

let t: TestCentinela;
let browser: Browser;
beforeAll(async () => {
  t = await startTestCentinela('sqlite');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('out of protection, in the supervisor console (issue 15)', () => {
  it('shows the device on test and who put it there', async () => {
    const { deviceId } = await seedCase(t.centinela);
    await t.centinela.parts.health.putOnTest({ ...systemActor('test'), role: 'technician' }, deviceId, 60 * 60_000);
    const supervisor = await addConsoleUser(t, 'supervisor');
    const { context, page, problems } = await openConsole(browser, t.centinela.httpUrl);
    await logIn(page, supervisor.name);
    await page.getByRole('link', { name: 'Fuera de protección' }).click();
    await seeText(page.locator('#oop-on-test'), deviceId);
    await seeText(page.locator('#oop-changes'), 'puesto en prueba');
    await seeText(page.locator('#oop-changes'), 'technician');
    await screenshot(page, 'supervisor-out-of-protection');
    expect(problems).toEqual([]);
    await context.close();
  });
});
