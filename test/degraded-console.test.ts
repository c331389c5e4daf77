import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PUBLIC_URL, seedCase } from './fixtures/alerts-world.ts';
import { addConsoleUser, type ConsolePage, launchBrowser, logIn, openConsole, screenshot, seeText } from './fixtures/browser.ts';
import { startTestCentinela, type TestCentinela } from './fixtures/centinela.ts';
import { connectDevice } from './fixtures/mqtt.ts';
import { TwilioRecorder } from './fixtures/twilio-recorder.ts';

/**
 * Issue 13 points 3 and 6, as the operator sees them: a banner while the SMS provider fails
 * (and gone when it is back), and an alarm from a device whose clock is wrong flagged, with what
 * the device said beside when it was received.
 */
let t: TestCentinela;
let rec: TwilioRecorder;
let browser: Browser;
let op: ConsolePage;

beforeAll(async () => {
  rec = await TwilioRecorder.start();
  t = await startTestCentinela('sqlite', {
    env: {
      ...rec.env(),
      CENTINELA_PUBLIC_URL: PUBLIC_URL,
      CENTINELA_PAGING_RETRY_BASE_MS: '50',
      CENTINELA_PAGING_RETRY_CAP_MS: '500',
      CENTINELA_PAGING_TIMEOUT_MS: '300',
      CENTINELA_PAGING_CALL_GAP_MS: '2000',
    },
  });
  browser = await launchBrowser();
  const operator = await addConsoleUser(t, 'operator');
  op = await openConsole(browser, t.centinela.httpUrl);
  await logIn(op.page, operator.name);
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await rec?.stop();
});

test('a carrier outage shows as a banner with its start and who is not yet reached; an alarm with a wrong device clock shows the flag and both times', {
  timeout: 90_000,
}, async () => {
  const { page } = op;
  await page.locator('#queue-title').waitFor();
  await page.locator('.live-status:not(.is-down)').waitFor();
  const world = await seedCase(t.centinela);
  rec.outage(503);

  // A button whose clock runs a day ahead.
  const claimed = Date.now() + 24 * 3600_000;
  const device = await connectDevice(t.centinela.parts.ingest.mqttPort as number, { id: world.deviceId, secret: 's' });
  try {
    await device.publishAsync(`v1/devices/${world.deviceId}/alarm`, JSON.stringify({ id: 'press-clock', ts: claimed, kind: 'panic' }), {
      qos: 1,
    });
  } finally {
    await device.endAsync();
  }

  const banner = page.locator('#paging-outage-banner');
  await seeText(banner, /El proveedor de SMS falla desde las \d\d:\d\d:\d\d; 2 contactos aún sin avisar/);
  await screenshot(page, 'paging-outage-banner');

  // The API says the same, with both times of the alarm.
  const headers = { authorization: `Bearer ${t.tokens.operator}` };
  const [alarm] = (await (await fetch(`${t.centinela.httpUrl}/api/alarms`, { headers })).json()) as { id: string }[];
  let detail: Record<string, unknown> = {};
  for (let i = 0; i < 100 && !detail.deviceReportedAt; i++) {
    detail = (await (await fetch(`${t.centinela.httpUrl}/api/alarms/${alarm?.id}`, { headers })).json()) as Record<string, unknown>;
    if (!detail.deviceReportedAt) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(detail).toMatchObject({ clockSuspect: true, deviceReportedAt: new Date(claimed).toISOString() });
  expect(detail.raisedAt).toBe(detail.receivedAt);

  await page.locator('#alarm-queue tbody tr', { hasText: world.deviceId }).locator('.row-link').focus();
  await page.keyboard.press('Enter');
  await page.locator('#alarm-title').waitFor();
  const flag = page.locator('#alarm-clock-suspect');
  await seeText(flag, /Reloj del dispositivo dudoso/);
  await seeText(flag, /el dispositivo dijo .+; recibida .+ \(la hora usada\)/);
  const tomorrow = new Intl.DateTimeFormat('es-MX', { dateStyle: 'short' }).format(new Date(claimed));
  expect(await flag.textContent()).toContain(tomorrow);
  await screenshot(page, 'alarm-clock-suspect');

  // The carrier is back: the banner goes once the messages go.
  rec.recover();
  await banner.waitFor({ state: 'detached', timeout: 30_000 });
});
