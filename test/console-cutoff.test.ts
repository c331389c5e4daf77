import net from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsolePage, launchBrowser, logIn, openConsole, PASSWORD, screenshot } from './fixtures/browser.ts';
import { runCli, type ServeProcess, startServe, tempDataDir } from './fixtures/cli.ts';
import { connectDevice } from './fixtures/mqtt.ts';

/** A port free right now, so a restarted server comes back where the browser looks for it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Issue 14 §2: the console knows when it is cut off. With the server stopped, the operator sees
 * a red page-wide "no connection — new alarms are NOT shown" within 10 s (not a green "En
 * vivo"); when the server is back the console reconnects by itself and reloads the queue, so
 * an alarm raised while it was cut off is on screen.
 */
let browser: Browser;
let op: ConsolePage;
let serve: ServeProcess | undefined;
const dir = tempDataDir();
const env: Record<string, string> = { CENTINELA_DATA_DIR: dir };
let secret = '';

beforeAll(async () => {
  expect(
    (
      await runCli(['user', 'add', '--name', 'op.guardia', '--role', 'operator', '--password'], {
        ...env,
        CENTINELA_NEW_PASSWORD: PASSWORD,
      })
    ).code,
  ).toBe(0);
  const added = await runCli(['device', 'add', '--id', 'pb-cut-1', '--model', 'panic-button', '--state', 'OAX', '--json'], env);
  secret = (JSON.parse(added.stdout) as { secret: string }).secret;
  env.CENTINELA_HTTP_PORT = String(await freePort());
  env.CENTINELA_MQTT_PORT = String(await freePort());
  serve = await startServe(env);
  browser = await launchBrowser();
  op = await openConsole(browser, serve.httpUrl);
  await logIn(op.page, 'op.guardia');
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('the console cut off from the centre', { timeout: 90_000 }, () => {
  it('shows a red page-wide warning within 10 s of the server stopping, reconnects by itself, and shows the alarm raised meanwhile', async () => {
    const { page } = op;
    await page.locator('#queue-title').waitFor();
    await page.locator('.live-status:not(.is-down)').waitFor();
    const banner = page.locator('#cutoff-banner');
    expect(await banner.isVisible()).toBe(false);

    await serve?.stop();
    const stoppedAt = Date.now();
    await banner.waitFor({ state: 'visible', timeout: 10_000 });
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(await banner.textContent()).toContain('NO se muestran');
    expect(await page.locator('.live-status').textContent()).not.toBe('En vivo');
    await screenshot(page, 'console-cut-off');

    // The console may not reach the stream until the alarm below is stored: it cannot have
    // heard of it live, only by reloading the queue.
    await page.route('**/api/stream', (route) => route.abort());
    serve = await startServe(env);
    const device = await connectDevice(serve.mqttPort, { id: 'pb-cut-1', secret });
    try {
      await device.publishAsync('v1/devices/pb-cut-1/alarm', JSON.stringify({ id: 'while-cut', ts: Date.now(), kind: 'panic' }), {
        qos: 1,
      });
    } finally {
      await device.endAsync();
    }
    expect(await banner.isVisible()).toBe(true);
    await page.unroute('**/api/stream');

    await banner.waitFor({ state: 'hidden', timeout: 20_000 });
    await page.locator('.live-status:not(.is-down)').waitFor();
    await page.locator('#alarm-queue tbody tr', { hasText: 'pb-cut-1' }).waitFor({ timeout: 10_000 });
    await screenshot(page, 'console-reconnected');
  });

  it('a reconnect with a garbage Last-Event-ID still gets the stream and its heartbeat', async () => {
    const res = await fetch(`${serve?.httpUrl}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: String(serve?.httpUrl) },
      body: new URLSearchParams({ username: 'op.guardia', password: PASSWORD }).toString(),
    });
    const cookie = String(
      res.headers.getSetCookie().find((c) => c.startsWith('centinela_session') || !c.startsWith('centinela_lang')),
    ).split(';')[0] as string;
    for (const lastEventId of ['', '-1', 'NaN', '9'.repeat(400), '%00\u00ff;drop table alarms', '{"id":1}']) {
      const res = await fetch(`${serve?.httpUrl}/api/stream`, {
        headers: { accept: 'text/event-stream', cookie, 'last-event-id': lastEventId },
      });
      expect(res.status).toBe(200);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      while (!/^data: \{"heartbeat":\d+\}$/m.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended without a heartbeat: ${text}`);
        text += new TextDecoder().decode(value);
      }
      await reader.cancel();
    }
  });
});
