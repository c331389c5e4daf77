import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../src/platform/index.ts';
import { createRepositories, openStore } from '../src/store/index.ts';
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

  it('refuses an unknown grouping or format with a one-line reason, and says so when no path was in service', async () => {
    const env = { CENTINELA_DATA_DIR: tempDataDir() };
    const bad = await runCli(['report', 'cost', '--group-by', 'planet'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('centinela: --group-by: expected one of kind, model, state, month');
    const format = await runCli(['report', 'path-availability', '--format', 'xml'], env);
    expect(format.code).toBe(2);
    expect(format.stderr.trim()).toBe('centinela: --format: expected json or csv');
    const empty = await runCli(['report', 'path-availability'], env);
    expect(empty.code).toBe(0);
    expect(empty.stdout.trim()).toBe('no declared path in service in the period');
  });
});
