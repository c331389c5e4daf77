import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/index.ts';
import { systemActor } from '../src/store/index.ts';
import { callAs, startTestCentinela, type TestCentinela } from './fixtures/centinela.ts';
import { ENGINES } from './fixtures/databases.ts';

const JUL1 = Date.UTC(2026, 6, 1, 12);
const DAY = 86_400_000;
const actor = systemActor('test');

describe.each(ENGINES)('health over HTTP on %s', (engine) => {
  let t: TestCentinela;
  let clock: ManualClock;
  afterEach(async () => {
    await t?.stop();
  });

  const call = (role: keyof TestCentinela['tokens'], method: string, url: string, body?: unknown) => callAs(t, role, method, url, body);

  async function beneficiary(id: string, stateCode = 'VER') {
    await t.centinela.repos.beneficiaries.create(actor, {
      id,
      alias: id,
      fullName: `Persona ${id}`,
      kind: 'journalist',
      stateCode: stateCode as 'VER',
      riskLevel: 'high',
      language: 'es',
      presumedAggressors: [],
    });
  }
  async function device(id: string, beneficiaryId: string | null, stateCode = 'VER', installedAt = Date.UTC(2026, 5, 1)) {
    await t.centinela.repos.devices.create(
      actor,
      { id, modelId: 'panic-button', beneficiaryId, stateCode: stateCode as 'VER', installedAt: new Date(installedAt).toISOString() },
      'not-a-real-hash',
    );
    t.centinela.events.emit('device.registered', { deviceId: id, at: clock.now() });
  }
  function heartbeat(deviceId: string, battery = 80, rssi = -95) {
    const now = clock.now();
    t.centinela.events.emit('heartbeat.received', {
      deviceId,
      at: now,
      receivedAt: now,
      clockSuspect: false,
      heartbeat: { ts: now, seq: 1, battery, signal: { network: 'lte', rssi } },
    });
  }
  async function online(deviceId: string) {
    const changed = t.centinela.events.next('device.state.changed', (e) => e.deviceId === deviceId && e.to === 'online');
    heartbeat(deviceId);
    await changed;
  }

  it('a technician finds a silent button in the fleet, its incident and a diagnosis — without the person', async () => {
    clock = new ManualClock(JUL1);
    t = await startTestCentinela(engine, { clock });
    await beneficiary('ben-1');
    await device('btn-1', 'ben-1');
    await online('btn-1');

    const fleet = await call('technician', 'GET', '/api/fleet?state=online&kind=panic_button&stateCode=VER');
    expect(fleet.status).toBe(200);
    expect(fleet.json().items).toMatchObject([{ deviceId: 'btn-1', liveness: 'online', battery: 80 }]);
    expect(fleet.json().items[0]).not.toHaveProperty('beneficiaryId');

    const silent = t.centinela.events.next('device.silent', (e) => e.deviceId === 'btn-1');
    clock.advance(181_000);
    expect(await silent).toMatchObject({ deviceId: 'btn-1', beneficiaryId: 'ben-1' });

    const offline = await call('technician', 'GET', '/api/fleet?state=offline');
    expect(offline.json().items.map((i: { deviceId: string }) => i.deviceId)).toEqual(['btn-1']);
    const incidents = await call('technician', 'GET', '/api/incidents?open=true&kind=offline');
    expect(incidents.json().items).toMatchObject([{ deviceId: 'btn-1', kind: 'offline', closedAt: null }]);

    const diagnosis = await call('technician', 'GET', '/api/devices/btn-1/diagnosis');
    expect(diagnosis.status).toBe(200);
    expect(diagnosis.json()).toMatchObject({ deviceId: 'btn-1', state: 'offline', signal: { rssi: -95, quality: 'fair' } });
    expect(diagnosis.json().finding).toMatch(/^silent 3 min; last signal −95 dBm \(fair\); battery 80 %/);
    expect(diagnosis.text).not.toMatch(/ben-1|Persona/);
  });

  it('a technician puts a button on test for at most 4 hours; other roles may not', async () => {
    clock = new ManualClock(JUL1);
    t = await startTestCentinela(engine, { clock });
    await device('btn-2', null);
    const ok = await call('technician', 'POST', '/api/devices/btn-2/test', { minutes: 90 });
    expect(ok.status).toBe(200);
    expect(ok.json()).toEqual({ deviceId: 'btn-2', onTestUntil: new Date(JUL1 + 90 * 60_000).toISOString() });
    expect((await call('technician', 'POST', '/api/devices/btn-2/test', { minutes: 241 })).status).toBe(400);
    expect((await call('operator', 'POST', '/api/devices/btn-2/test', { minutes: 30 })).status).toBe(403);
    expect((await call('technician', 'POST', '/api/devices/nope/test', { minutes: 30 })).status).toBe(404);
  });

  it('analysts get the cost report with groups of fewer than 5 people withheld, with a partner group; administrators see them', async () => {
    clock = new ManualClock(JUL1);
    t = await startTestCentinela(engine, { clock });
    for (const n of [1, 2, 3, 4, 5]) {
      await beneficiary(`ver-${n}`);
      await device(`btn-ver-${n}`, `ver-${n}`);
      await beneficiary(`oax-${n}`, 'OAX');
      await device(`btn-oax-${n}`, `oax-${n}`, 'OAX');
    }
    await beneficiary('gro-1', 'GRO');
    await device('btn-gro-1', 'gro-1', 'GRO');
    const url = '/api/reports/cost?from=2026-06-01&to=2026-07-01&groupBy=state';
    const analyst = await call('analyst', 'GET', url);
    expect(analyst.status).toBe(200);
    const rows = analyst.json().rows as { group: string; suppressed: boolean; spendMxn: number | null }[];
    expect(rows.find((r) => r.group === 'GRO')).toMatchObject({ suppressed: true, spendMxn: null });
    // GRO (1 person) is withheld with the smallest other state (OAX before VER, 5 people each), so
    // Total − VER gives only GRO + OAX together (6 people).
    expect(rows.find((r) => r.group === 'OAX')).toMatchObject({ suppressed: true, spendMxn: null });
    // 5 buttons × 30 days × 3,500 × 12 ÷ 365 = MXN 17,260.27, all of it billed for silence.
    expect(rows.find((r) => r.group === 'VER')).toMatchObject({ suppressed: false, spendMxn: 17260.27, billedButSilentDevices: 5 });
    expect(analyst.json()).toMatchObject({ timeZone: 'America/Mexico_City', from: '2026-06-01T06:00:00.000Z', noData: false });
    expect(analyst.json().total).toMatchObject({ suppressed: false, beneficiaries: 11 });
    const admin = await call('admin', 'GET', url);
    expect(admin.json().rows.find((r: { group: string }) => r.group === 'GRO')).toMatchObject({ suppressed: false, spendMxn: 3452.05 });

    const csv = await call('analyst', 'GET', `${url}&format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toMatch(/^group,suppressed,/);
    expect(lines.find((l) => l.startsWith('GRO,'))).toMatch(/^GRO,true,,/);

    const reliability = await call('supervisor', 'GET', '/api/reports/reliability?from=2026-06-01&to=2026-07-01&groupBy=month');
    expect(reliability.json().rows).toMatchObject([{ group: '2026-06', devices: 11, availability: 0 }]);
    expect((await call('technician', 'GET', url)).status).toBe(403);
    expect((await call('analyst', 'GET', '/api/fleet')).status).toBe(403);
    expect((await call('analyst', 'GET', '/api/reports/cost?groupBy=planet')).status).toBe(400);
    // Bad ranges are refused with a reason, never answered as "suppressed".
    const inverted = await call('analyst', 'GET', '/api/reports/cost?from=2026-06-10&to=2026-06-01');
    expect(inverted.status).toBe(400);
    expect(inverted.json().error.message).toMatch(/must be after/);
    const future = await call('analyst', 'GET', '/api/reports/reliability?from=2027-01-01&to=2027-02-01');
    expect(future.status).toBe(400);
    expect(future.json().error.message).toMatch(/future/);
    const before = await call('analyst', 'GET', '/api/reports/cost?from=2025-01-01&to=2025-02-01&groupBy=state');
    expect(before.json()).toMatchObject({ noData: true, rows: [], suppressedGroups: 0, total: { suppressed: false, devices: 0 } });
  });

  it('jobs show their next run; test reminders open a task for a button never tested in 30 days', async () => {
    clock = new ManualClock(JUL1);
    t = await startTestCentinela(engine, { clock });
    await device('btn-old', null, 'VER', JUL1 - 40 * DAY);
    await device('btn-new', null, 'VER', JUL1 - 5 * DAY);
    const jobs = await call('admin', 'GET', '/api/jobs');
    expect(jobs.json().items.map((j: { name: string }) => j.name)).toEqual([
      'reliability-snapshot',
      'monthly-cost-report',
      'test-reminders',
      'telemetry-retention',
    ]);
    expect(jobs.json().items.every((j: { nextRun: string | null }) => j.nextRun !== null)).toBe(true);
    const run = await call('admin', 'POST', '/api/jobs/test-reminders/run');
    expect(run.json().lastRun.outcome).toBe('ok: 1 devices due a test');
    const tasks = await call('technician', 'GET', '/api/incidents?kind=test_overdue&open=true');
    expect(tasks.json().items).toMatchObject([{ deviceId: 'btn-old', kind: 'test_overdue' }]);
    const after = await call('supervisor', 'GET', '/api/jobs');
    expect(after.json().items.find((j: { name: string }) => j.name === 'test-reminders').lastRun.outcome).toMatch(/^ok/);
    expect((await call('operator', 'GET', '/api/jobs')).status).toBe(403);
  });

  it('pings the watchdog URL when CENTINELA_WATCHDOG_URL is set', async () => {
    const pings: unknown[] = [];
    let gotPing: () => void = () => {};
    const first = new Promise<void>((resolve) => {
      gotPing = resolve;
    });
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        pings.push(JSON.parse(body));
        res.end('ok');
        gotPing();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      t = await startTestCentinela(engine, { env: { CENTINELA_WATCHDOG_URL: `http://127.0.0.1:${port}/ping/abc` } });
      await first;
      expect(pings[0]).toMatchObject({ service: 'centinela' });
    } finally {
      server.close();
    }
  });
});
