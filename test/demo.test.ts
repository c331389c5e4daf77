import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_PATH, expandScenario, loadScenario, TINY_SCENARIO_PATH } from '../devices/index.ts';
import { panicCadence } from '../src/cli/demo/panic-cadence.ts';
import { BIN, runCli, tempDataDir } from './fixtures/cli.ts';
import { openStream } from './fixtures/sse.ts';

/** A port someone else holds (another broker, another server), as on a newcomer's laptop. */
async function holdPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, release: () => new Promise((resolve) => server.close(() => resolve())) };
}

interface Printed {
  console: string;
  mqttPort: number;
  logins: { name: string; role: string; password: string }[];
  counts: { people: number; devices: number; states: number; responders: number };
  panic: { everyS: number; firstAfterS: number; first: { deviceId: string; beneficiaryId: string; aggressorCase: boolean } | null };
}

describe('centinela demo', { timeout: 180_000 }, () => {
  it('the default scenario is at the mechanism scale: 300+ people, 500+ devices, 16+ states, groups of five or more, an aggressor case first', async () => {
    const scenario = await loadScenario(DEFAULT_SCENARIO_PATH);
    const records = expandScenario(scenario);
    expect(records.beneficiaries.length).toBeGreaterThanOrEqual(300);
    expect(records.devices.length).toBeGreaterThanOrEqual(500);
    const perState = new Map<string, number>();
    for (const b of records.beneficiaries) perState.set(b.stateCode, (perState.get(b.stateCode) ?? 0) + 1);
    expect(perState.size).toBeGreaterThanOrEqual(16);
    // The analyst's reports suppress groups under five people: most states must reach it.
    const shown = [...perState.values()].filter((n) => n >= 5).length;
    expect(shown / perState.size).toBeGreaterThan(0.8);
    // The first press is on a person whose own police is a presumed aggressor (P4 in the first minute).
    const cadence = panicCadence(scenario, scenario.seed, 240);
    expect(cadence.first?.aggressorCase).toBe(true);
    expect(cadence.firstAfterS).toBeLessThanOrEqual(20);
    expect(cadence.rotation.length).toBeGreaterThan(100);
  });

  it('takes free ports when others hold them, says what it registered, presses every N seconds as promised, and its first panic shows the aggressor police skipped', async () => {
    const dataDir = tempDataDir();
    const http = await holdPort();
    const mqtt = await holdPort();
    let stderr = '';
    const child = spawn(process.execPath, [BIN, 'demo', '--scenario', TINY_SCENARIO_PATH, '--panic-every', '5', '--json'], {
      env: {
        ...process.env,
        CENTINELA_DATA_DIR: dataDir,
        CENTINELA_HTTP_PORT: String(http.port),
        CENTINELA_MQTT_PORT: String(mqtt.port),
        CENTINELA_HTTP_HOST: '127.0.0.1',
        CENTINELA_MQTT_HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const printed = await new Promise<Printed>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const line = out.split('\n').find((l) => l.startsWith('{'));
          if (line) resolve(JSON.parse(line));
        });
        exited.then((code) => reject(new Error(`demo exited (${code}) before printing its logins: ${stderr}`)));
      });
      expect(printed.logins.map((l) => l.role).sort()).toEqual(['admin', 'analyst', 'operator', 'supervisor', 'technician']);
      expect(printed.logins.every((l) => l.password.length >= 12)).toBe(true);
      // Both ports were taken: the demo moved and said where to.
      expect(new URL(printed.console).port).not.toBe(String(http.port));
      expect(printed.mqttPort).not.toBe(mqtt.port);
      expect(stderr).toContain(`port ${http.port} is taken`);
      expect(stderr).toContain(`port ${mqtt.port} is taken`);
      expect(printed.counts).toEqual({ people: 1, devices: 3, states: 1, responders: 2 });
      expect(printed.panic).toMatchObject({ everyS: 5, firstAfterS: 5, first: { deviceId: 'pb-tiny-01', aggressorCase: true } });

      // A token for this test, made the way an administrator would, on the demo's own database.
      const sup = await runCli(['user', 'add', '--name', 'test.supervisor', '--role', 'supervisor', '--json'], {
        CENTINELA_DATA_DIR: path.join(dataDir, 'demo'),
      });
      const analyst = await runCli(['user', 'add', '--name', 'test.analyst', '--role', 'analyst', '--json'], {
        CENTINELA_DATA_DIR: path.join(dataDir, 'demo'),
      });
      const auth = (r: { stdout: string }) => ({ authorization: `Bearer ${(JSON.parse(r.stdout) as { token: string }).token}` });

      // Subscribe first, then look: the demo may already have pressed the button.
      const stream = await openStream(`${printed.console}/api/stream`, auth(sup));
      const open = (await (await fetch(`${printed.console}/api/alarms?state=open`, { headers: auth(sup) })).json()) as {
        id: string;
        deviceId: string;
        kind: string;
      }[];
      const panic =
        open.find((a) => a.deviceId === 'pb-tiny-01' && a.kind === 'panic') ??
        (await stream.next((e) => e.event === 'alarm.opened' && e.data.deviceId === 'pb-tiny-01' && e.data.kind === 'panic')).data;
      const alarmId = String('id' in panic ? panic.id : panic.alarmId);

      // Dispatch: the municipal police of Coyoacán is a presumed aggressor and is skipped (P4).
      const dispatched = await fetch(`${printed.console}/api/alarms/${alarmId}/dispatch`, {
        method: 'POST',
        headers: { ...auth(sup), 'content-type': 'application/json' },
        body: '{}',
      });
      expect(dispatched.status).toBe(200);
      const detail = (await (await fetch(`${printed.console}/api/alarms/${alarmId}`, { headers: auth(sup) })).json()) as {
        timeline: { kind: string; detail: Record<string, unknown> | null }[];
      };
      const skipped = detail.timeline.find((e) => e.kind === 'responder_skipped');
      expect(skipped?.detail).toMatchObject({ responderId: 'resp-cmx-mun-coyoacan' });
      expect(detail.timeline.find((e) => e.kind === 'responder_chosen')?.detail).toMatchObject({ responderId: 'resp-cmx-rapid' });

      // The promise holds: the next press comes on the demo's clock (it joins the open alarm).
      await stream.next((e) => e.event === 'alarm.press_joined' && e.data.alarmId === alarmId);
      stream.close();
      // Issue 18: the alarm carries its action plan, and its person's duress answer escalates it.
      const withPlan = (await (await fetch(`${printed.console}/api/alarms/${alarmId}`, { headers: auth(sup) })).json()) as {
        plan: unknown;
      };
      expect(withPlan.plan).toMatchObject({ name: 'panic' });
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
      await http.release();
      await mqtt.release();
    }
    expect(await exited).toBe(0);
  });
});
