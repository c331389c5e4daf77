import path from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, startServe, tempDataDir } from './fixtures/cli.ts';
import { connectDevice } from './fixtures/mqtt.ts';
import { openStream } from './fixtures/sse.ts';

const PASSWORD = 'a shift-long password';

/** Logs in through the login page as the console does; returns the session cookie. */
async function sessionCookie(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ username, password: PASSWORD }).toString(),
  });
  expect(res.status).toBe(303);
  const cookie = res.headers.getSetCookie().find((c) => !c.startsWith('centinela_lang'));
  return String(cookie).split(';')[0] as string;
}

/**
 * Issue 14 §3: Ctrl-C (or the service manager's SIGTERM) with consoles and live streams open
 * ends the process within 5 s, and an alarm the device had its PUBACK for is stored with its
 * escalation started — nothing in flight is cut.
 */
describe('shutdown with consoles open', { timeout: 60_000 }, () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} ends the process within 5 s with two live streams, a console page and a device connected; the last alarm is kept`, async () => {
      const dir = tempDataDir();
      const env = { CENTINELA_DATA_DIR: dir };
      expect(
        (
          await runCli(['user', 'add', '--name', 'op.noche', '--role', 'operator', '--password'], {
            ...env,
            CENTINELA_NEW_PASSWORD: PASSWORD,
          })
        ).code,
      ).toBe(0);
      const added = await runCli(['device', 'add', '--id', 'pb-stop-1', '--model', 'panic-button', '--state', 'OAX', '--json'], env);
      const { secret } = JSON.parse(added.stdout) as { secret: string };
      const serve = await startServe(env);
      try {
        const cookie = await sessionCookie(serve.httpUrl, 'op.noche');
        const streams = [
          await openStream(`${serve.httpUrl}/api/stream`, { cookie }),
          await openStream(`${serve.httpUrl}/api/stream`, { cookie }),
        ];
        // A console page over a kept-alive connection, as a browser holds it.
        expect((await fetch(`${serve.httpUrl}/`, { headers: { cookie } })).status).toBe(200);
        const device = await connectDevice(serve.mqttPort, { id: 'pb-stop-1', secret }, { reconnectPeriod: 0 });
        device.on('error', () => {});
        // The PUBACK came back: from here on the alarm must survive the stop.
        await device.publishAsync('v1/devices/pb-stop-1/alarm', JSON.stringify({ id: 'last-press', ts: Date.now(), kind: 'panic' }), {
          qos: 1,
        });

        const asked = Date.now();
        serve.child.kill(signal);
        const exit = await serve.exited;
        const tookMs = Date.now() - asked;
        expect(exit.code).toBe(0);
        expect(tookMs).toBeLessThan(5_000);
        expect(serve.logs.filter((l) => l.msg === 'failed to close part')).toEqual([]);
        for (const s of streams) s.close();
        device.end(true);

        const db = new SQLite(path.join(dir, 'centinela.db'), { readonly: true });
        try {
          const alarm = db.prepare("select id, policy from alarms where device_id = 'pb-stop-1'").get() as
            | { id: string; policy: string | null }
            | undefined;
          expect(alarm).toBeDefined();
          // Its escalation had started: the policy was copied onto it before the store closed.
          expect(alarm?.policy).not.toBeNull();
        } finally {
          db.close();
        }
      } finally {
        await serve.crash();
      }
    });
  }
});
