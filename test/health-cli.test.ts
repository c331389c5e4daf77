import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../src/platform/index.ts';
import { alarmRow, createRepositories, openStore, systemActor } from '../src/store/index.ts';
import { runCli, tempDataDir } from './fixtures/cli.ts';

describe('centinela report', () => {
  it('prints the cost report as CSV and reliability as JSON, grouped as asked', async () => {
    const env = { CENTINELA_DATA_DIR: tempDataDir() };
    expect((await runCli(['device', 'add', '--id', 'pb-r1', '--model', 'panic-button', '--state', 'OAX'], env)).code).toBe(0);
    const csv = await runCli(['report', 'cost', '--from', '2026-01-01', '--group-by', 'state', '--format', 'csv'], env);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^group,suppressed,beneficiaries,devices,inServiceDays,spendMxn,/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['OAX', 'total']);

    const json = await runCli(['report', 'reliability', '--from', '2026-01-01', '--group-by', 'model', '--json'], env);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { report: string; groupBy: string; rows: { group: string; devices: number }[] };
    expect(report).toMatchObject({ report: 'reliability', groupBy: 'model', rows: [{ group: 'panic-button', devices: 1 }] });
  });

  it('prints availability per path of dual-path devices, with a total per path', async () => {
    const dir = tempDataDir();
    const env = { CENTINELA_DATA_DIR: dir };
    expect((await runCli(['device', 'add', '--id', 'dual-r1', '--model', 'satellite-phone', '--state', 'OAX'], env)).code).toBe(0);
    expect((await runCli(['device', 'add', '--id', 'single-r1', '--model', 'panic-button', '--state', 'OAX'], env)).code).toBe(0);
    const store = await openStore({ kind: 'sqlite', file: path.join(dir, 'centinela.db') });
    try {
      const repos = createRepositories(store, systemClock);
      const now = Date.now();
      await repos.devicePaths.declare(
        'dual-r1',
        [
          { path: 'cellular', windowS: 180 },
          { path: 'satellite', windowS: 2700 },
        ],
        now,
      );
      await repos.devicePaths.declare('single-r1', [{ path: 'cellular', windowS: 180 }], now);
    } finally {
      await store.close();
    }
    const csv = await runCli(['report', 'path-availability', '--group-by', 'kind', '--format', 'csv'], env);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('group,path,suppressed,beneficiaries,devices,supervisedDays,availability,lostEpisodes,downHours');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 5).join(','))).toEqual([
      'panic_button,cellular,false,0,1',
      'satellite_phone,cellular,false,0,1',
      'satellite_phone,satellite,false,0,1',
      'total,cellular,false,0,2',
      'total,satellite,false,0,1',
    ]);
    const json = JSON.parse((await runCli(['report', 'path-availability', '--group-by', 'state', '--json'], env)).stdout);
    expect(json).toMatchObject({
      report: 'path-availability',
      groupBy: 'state',
      rows: [
        { group: 'OAX', path: 'cellular', devices: 2 },
        { group: 'OAX', path: 'satellite', devices: 1 },
      ],
    });
  });

  it('prints the action-plan steps skipped per alarm kind as a table, CSV or JSON, and withholds small kinds when asked', async () => {
    const dir = tempDataDir();
    const env = { CENTINELA_DATA_DIR: dir };
    const none = await runCli(['report', 'plan-steps'], env);
    expect(none.code).toBe(0);
    expect(none.stdout.trim()).toBe('no alarm with an action plan in the period');
    const store = await openStore({ kind: 'sqlite', file: path.join(dir, 'centinela.db') });
    try {
      const repos = createRepositories(store, systemClock);
      const at = Date.now() - 2 * 3_600_000;
      // A panic alarm with one of its four steps skipped, a fall with two, from two people.
      for (const [n, kind, skipped] of [
        [1, 'panic', 1],
        [2, 'fall', 2],
      ] as const) {
        const person = await repos.beneficiaries.create(systemActor('test'), {
          alias: `Cli ${n}`,
          fullName: `Persona Cli ${n}`,
          kind: 'defender',
          stateCode: 'OAX',
          riskLevel: 'high',
          language: 'es',
          presumedAggressors: [],
        });
        await repos.devices.create(
          systemActor('test'),
          { id: `pb-plan-${n}`, modelId: 'panic-button', beneficiaryId: person.id, stateCode: 'OAX' },
          'x',
        );
        const id = `alm-plan-${n}`;
        await store.db
          .insertInto('alarms')
          .values(
            alarmRow({
              id,
              device_id: `pb-plan-${n}`,
              beneficiary_id: person.id,
              kind,
              severity: 'high',
              test: 0,
              raised_at: at,
              received_at: at,
              state: 'resolved',
            }),
          )
          .execute();
        const keys = ['call-beneficiary', 'call-contact-1', 'call-responder', 'confirm-on-scene'];
        await repos.alarms.transaction(async (tx) => {
          await repos.actionPlans.attach(
            tx,
            id,
            kind,
            keys.map((key, index) => ({ key, index, type: 'check', title: key, after: [], source: 'plan' })),
            at,
          );
          for (const key of keys.slice(0, skipped))
            await repos.actionPlans.mark(tx, id, key, { status: 'skipped', outcome: null, reason: 'x' }, 'usr-op', at);
        });
      }
    } finally {
      await store.close();
    }
    const from = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const table = await runCli(['report', 'plan-steps', '--from', from, '--format', 'table'], env);
    expect(table.code).toBe(0);
    expect(table.stdout.trim().split('\n')).toEqual([
      'kind\tsuppressed\talarms\tsteps\tskipped\tskippedRatio',
      'fall\tfalse\t1\t4\t2\t0.5',
      'panic\tfalse\t1\t4\t1\t0.25',
      'total\tfalse\t2\t8\t3\t0.375',
    ]);
    const csv = await runCli(['report', 'plan-steps', '--from', from, '--format', 'csv'], env);
    expect(csv.stdout.trim().split('\n')).toEqual([
      'kind,suppressed,alarms,steps,skipped,skippedRatio',
      'fall,false,1,4,2,0.5',
      'panic,false,1,4,1,0.25',
      'total,false,2,8,3,0.375',
    ]);
    const json = JSON.parse((await runCli(['report', 'plan-steps', '--from', from, '--format', 'json'], env)).stdout);
    expect(json).toMatchObject({
      report: 'plan-steps',
      suppressedGroups: 0,
      rows: [
        { kind: 'fall', skipped: 2 },
        { kind: 'panic', skipped: 1 },
      ],
      total: { kind: 'total', alarms: 2, steps: 8, skipped: 3 },
    });
    // As an analyst sees it: two people in all, so every kind and the total are withheld.
    const withheld = await runCli(['report', 'plan-steps', '--from', from, '--format', 'csv', '--suppress-small-groups'], env);
    expect(withheld.stdout.trim().split('\n').slice(1)).toEqual(['fall,true,,,,', 'panic,true,,,,', 'total,true,,,,']);
    const bad = await runCli(['report', 'plan-steps', '--format', 'xml'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('centinela: --format: expected table, json or csv');
  });

  it('refuses an unknown grouping or format with a one-line reason, and says so when no path was in service', async () => {
    const env = { CENTINELA_DATA_DIR: tempDataDir() };
    const bad = await runCli(['report', 'cost', '--group-by', 'planet'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('centinela: --group-by: expected one of kind, model, state, month');
    const format = await runCli(['report', 'path-availability', '--format', 'xml'], env);
    expect(format.code).toBe(2);
    expect(format.stderr.trim()).toBe('centinela: --format: expected table, json or csv');
    const empty = await runCli(['report', 'path-availability'], env);
    expect(empty.code).toBe(0);
    expect(empty.stdout.trim()).toBe('no declared path in service in the period');
  });
});
