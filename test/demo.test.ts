import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TINY_SCENARIO_PATH } from '../devices/index.ts';
import { BIN, runCli, tempDataDir } from './fixtures/cli.ts';
import { openStream } from './fixtures/sse.ts';

describe('centinela demo', { timeout: 180_000 }, () => {
  it('brings up Centinela with history and a live fleet, shows a panic alarm within the first minute, and stops on Ctrl-C', async () => {
    const dataDir = tempDataDir();
    const child = spawn(process.execPath, [BIN, 'demo', '--scenario', TINY_SCENARIO_PATH, '--json'], {
      env: {
        ...process.env,
        CENTINELA_DATA_DIR: dataDir,
        CENTINELA_HTTP_PORT: '0',
        CENTINELA_MQTT_PORT: '0',
        CENTINELA_HTTP_HOST: '127.0.0.1',
        CENTINELA_MQTT_HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const printed = await new Promise<{ console: string; logins: { name: string; role: string; password: string }[] }>(
        (resolve, reject) => {
          let out = '';
          child.stdout.on('data', (c: Buffer) => {
            out += c.toString();
            const line = out.split('\n').find((l) => l.startsWith('{'));
            if (line) resolve(JSON.parse(line));
          });
          exited.then((code) => reject(new Error(`demo exited (${code}) before printing its logins`)));
        },
      );
      expect(printed.logins.map((l) => l.role).sort()).toEqual(['admin', 'analyst', 'operator', 'supervisor', 'technician']);
      expect(printed.logins.every((l) => l.password.length >= 12)).toBe(true);

      // A token for this test, made the way an administrator would, on the demo's own database.
      const sup = await runCli(['user', 'add', '--name', 'test.supervisor', '--role', 'supervisor', '--json'], {
        CENTINELA_DATA_DIR: path.join(dataDir, 'demo'),
      });
      const analyst = await runCli(['user', 'add', '--name', 'test.analyst', '--role', 'analyst', '--json'], {
        CENTINELA_DATA_DIR: path.join(dataDir, 'demo'),
      });
      const auth = (r: { stdout: string }) => ({ authorization: `Bearer ${(JSON.parse(r.stdout) as { token: string }).token}` });

      // Subscribe first, then look: the simulated fleet may already have pressed the button.
      const stream = await openStream(`${printed.console}/api/stream`, auth(sup));
      const open = (await (await fetch(`${printed.console}/api/alarms?state=open`, { headers: auth(sup) })).json()) as {
        deviceId: string;
        kind: string;
      }[];
      const panic =
        open.find((a) => a.deviceId === 'pb-tiny-01' && a.kind === 'panic') ??
        (await stream.next((e) => e.event === 'alarm.opened' && e.data.deviceId === 'pb-tiny-01' && e.data.kind === 'panic')).data;
      expect(panic).toMatchObject({ deviceId: 'pb-tiny-01', kind: 'panic' });
      stream.close();
      // Issue 18: the alarm carries its action plan, and its person's duress answer escalates it.
      const alarmId = String((panic as { id?: string; alarmId?: string }).id ?? (panic as { alarmId?: string }).alarmId);
      const detail = (await (await fetch(`${printed.console}/api/alarms/${alarmId}`, { headers: auth(sup) })).json()) as { plan: unknown };
      expect(detail.plan).toMatchObject({ name: 'panic' });
      const duress = await fetch(`${printed.console}/api/alarms/${alarmId}/security-answer`, {
        method: 'POST',
        headers: { ...auth(sup), 'content-type': 'application/json' },
        body: JSON.stringify({ answer: 'cerro verde' }),
      });
      expect(await duress.json()).toEqual({ result: 'duress', escalated: true });

      const devices = (await (await fetch(`${printed.console}/api/devices`, { headers: auth(sup) })).json()) as { id: string }[];
      expect(devices.map((d) => d.id).sort()).toEqual(['cam-tiny-01', 'pb-tiny-01', 'sat-tiny-01']);
      // The seeded year gives the analyst a report from the first minute.
      const report = await fetch(`${printed.console}/api/reports/reliability?groupBy=kind&format=csv`, { headers: auth(analyst) });
      expect(report.status).toBe(200);
      expect((await report.text()).split('\n').length).toBeGreaterThan(1);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
