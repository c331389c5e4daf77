/**
 * First paint of the operator's queue: from navigating to the console (already logged in) to
 * the queue's rows on screen, in Debian's Chromium, with N open alarms waiting. Also the
 * browser's first-contentful-paint. Each figure is the median of RUNS loads.
 *
 *   node --import tsx bench/console-first-paint.ts [--alarms 50] [--runs 7]
 *
 * Not a test: it prints lines to paste into bench/demo-results.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/index.ts';
import { startCentinela } from '../src/main.ts';
import { createLogger } from '../src/platform/index.ts';
import { hashSecret } from '../src/platform/secrets.ts';
import { systemActor } from '../src/store/index.ts';
import { raiseAlarm, seedCase } from '../test/fixtures/alerts-world.ts';
import { launchBrowser, logIn, openConsole } from '../test/fixtures/browser.ts';

const { values } = parseArgs({ options: { alarms: { type: 'string', default: '50' }, runs: { type: 'string', default: '7' } } });
const ALARMS = Number(values.alarms);
const RUNS = Number(values.runs);
const admin = systemActor('bench');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-bench-paint-'));
const config = loadConfig({
  CENTINELA_HTTP_PORT: '0',
  CENTINELA_MQTT_PORT: '0',
  CENTINELA_HTTP_HOST: '127.0.0.1',
  CENTINELA_MQTT_HOST: '127.0.0.1',
  CENTINELA_DATA_DIR: dir,
});
const centinela = await startCentinela(config, { logger: createLogger({ level: 'silent' }) });
const browser = await launchBrowser();
try {
  for (let i = 0; i < ALARMS; i++) {
    const c = await seedCase(centinela);
    await raiseAlarm(centinela, { deviceId: c.deviceId, beneficiaryId: c.beneficiary.id });
  }
  await centinela.repos.users.create(admin, {
    name: 'bench.operator',
    role: 'operator',
    passwordHash: await hashSecret('correct horse battery staple'),
  });
  const { page } = await openConsole(browser, centinela.httpUrl);
  await logIn(page, 'bench.operator');
  const rows: number[] = [];
  const fcp: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    // A new document each time (the query changes), timed from the browser's own navigation start.
    await page.goto(`/?load=${r}#/queue`);
    await page.locator(`#alarm-queue tbody tr:nth-child(${ALARMS})`).waitFor();
    rows.push(Math.round((await page.evaluate('performance.now()')) as number));
    fcp.push(
      (await page.evaluate(
        "performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint')?.startTime ?? -1",
      )) as number,
    );
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  console.log(
    `queue with ${ALARMS} open alarms, median of ${RUNS} loads: rows on screen ${median(rows)} ms; first contentful paint ${Math.round(median(fcp))} ms`,
  );
  console.log(`all loads (ms): ${rows.join(', ')}`);
  console.log(
    `load average: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
} finally {
  await browser.close();
  await centinela.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
