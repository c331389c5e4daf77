import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseAlarm, seedCase } from './fixtures/alerts-world.ts';
import { addConsoleUser, type ConsolePage, launchBrowser, logIn, openConsole, screenshot, seeText } from './fixtures/browser.ts';
import { startTestCentinela, type TestCentinela } from './fixtures/centinela.ts';

/**
 * Issue 14 §1: with Twilio not configured, an SMS to a contact is NOT "Entregado". It is "not
 * sent" with the reason, the console says so in a standing banner, and the operator can read
 * the text of the message to call or write by hand.
 */
let t: TestCentinela;
let browser: Browser;
let op: ConsolePage;

beforeAll(async () => {
  t = await startTestCentinela('sqlite');
  browser = await launchBrowser();
  const operator = await addConsoleUser(t, 'operator');
  op = await openConsole(browser, t.centinela.httpUrl);
  await logIn(op.page, operator.name);
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

const get = async (url: string) =>
  t.centinela.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.tokens.operator}` } });

describe('delivery says what happened', () => {
  it('without Twilio, SMS to the contacts are "not sent: SMS not configured", with their text; the console message is "shown"', async () => {
    const kase = await seedCase(t.centinela);
    const notSent = t.centinela.events.next('notification.changed', (e) => e.channel === 'sms' && e.status === 'not_sent');
    const shown = t.centinela.events.next('notification.changed', (e) => e.channel === 'console' && e.status === 'shown');
    const alarmId = await raiseAlarm(t.centinela, { deviceId: kase.deviceId, beneficiaryId: kase.beneficiary.id });
    expect((await notSent).alarmId).toBe(alarmId);
    expect((await shown).alarmId).toBe(alarmId);

    const detail = (await get(`/api/alarms/${alarmId}`)).json() as {
      notifications: { channel: string; target: string; status: string; reason: string | null; body: string }[];
    };
    const sms = detail.notifications.filter((n) => n.channel === 'sms');
    expect(sms.length).toBeGreaterThanOrEqual(1);
    for (const n of sms) {
      expect(n.status).toBe('not_sent');
      expect(n.reason).toBe('sms_not_configured');
    }
    // Nothing reads as delivered while no carrier took anything.
    expect(detail.notifications.map((n) => n.status)).not.toContain('delivered');
    // The text the contact would have received, to send by hand.
    expect(sms.find((n) => n.target === 'contacts')?.body).toContain(kase.beneficiary.alias);

    expect((await get('/api/console/delivery')).json()).toEqual({ sms: false, voice: false, webhook: false });

    const { page } = op;
    await page.goto(`/#/alarm/${alarmId}`);
    await page.locator('#delivery-banner').waitFor();
    expect(await page.locator('#delivery-banner').textContent()).toContain('NO se envían');
    const row = page.locator('#notification-list tbody tr[data-status="not_sent"]').first();
    await seeText(row, 'NO enviado');
    await seeText(row, 'SMS no configurado');
    expect(await page.locator('#notification-list').textContent()).not.toContain('Entregado');
    await row.locator('summary').click();
    await seeText(row.locator('details p'), kase.beneficiary.alias);
    await screenshot(page, 'delivery-not-sent');
  });
});
