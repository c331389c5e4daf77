/**
 * Takes the README's screenshots of the console during the demo: starts `centinela demo`,
 * logs in with the logins it prints, and photographs the operator's queue and alarm and the
 * analyst's report.
 *
 *   node --import tsx docs/make-screenshots.ts
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-shots-'));
const demo = spawn(process.execPath, [path.join(root, 'bin/centinela.js'), 'demo', '--json'], {
  env: {
    ...process.env,
    CENTINELA_DATA_DIR: dataDir,
    CENTINELA_HTTP_PORT: '0',
    CENTINELA_MQTT_PORT: '0',
    CENTINELA_HTTP_HOST: '127.0.0.1',
    CENTINELA_MQTT_HOST: '127.0.0.1',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const printed = await new Promise<{ console: string; logins: { name: string; role: string; password: string }[] }>((resolve) => {
  let out = '';
  demo.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    const line = out.split('\n').find((l) => l.startsWith('{'));
    if (line) resolve(JSON.parse(line));
  });
});
const login = (role: string) => printed.logins.find((l) => l.role === role) ?? { name: '', password: '' };

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});
async function session(role: string): Promise<Page> {
  const context = await browser.newContext({
    baseURL: printed.console,
    viewport: { width: 1366, height: 768 },
    locale: 'es-MX',
    timezoneId: 'America/Mexico_City',
  });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel(/Usuario/).fill(login(role).name);
  await page.getByLabel(/Contraseña/).fill(login(role).password);
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.getByRole('button', { name: /Entrar/ }).click()]);
  return page;
}
try {
  const operator = await session('operator');
  // The demo presses a first panic button 20 s after the fleet is up.
  await operator
    .getByRole('link', { name: /Pánico/ })
    .first()
    .waitFor({ timeout: 60_000 });
  await operator.screenshot({ path: path.join(root, 'docs/console-queue.png') });
  await operator
    .getByRole('link', { name: /Pánico/ })
    .first()
    .click();
  await operator
    .getByText(/Escalamiento/)
    .first()
    .waitFor();
  // The first panic is a person whose police is a presumed aggressor: wait for the map and for
  // the escalation to show that police skipped (the responder step fires after 60 s).
  await operator.locator('#alarm-map path.map-address').first().waitFor();
  await operator.locator('.timeline .tl-responder_skipped').first().waitFor({ timeout: 120_000 });
  await operator.screenshot({ path: path.join(root, 'docs/console-alarm.png'), fullPage: true });
  const analyst = await session('analyst');
  await analyst.getByRole('button', { name: /Generar/ }).click();
  await analyst.locator('.uplot canvas').first().waitFor();
  await analyst.screenshot({ path: path.join(root, 'docs/console-reports.png') });
} finally {
  await browser.close();
  demo.kill('SIGINT');
}
