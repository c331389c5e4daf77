import { describe, expect, it } from 'vitest';
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

  it('refuses an unknown grouping with a one-line reason', async () => {
    const env = { CENTINELA_DATA_DIR: tempDataDir() };
    const bad = await runCli(['report', 'cost', '--group-by', 'planet'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('centinela: --group-by: expected one of kind, model, state, month');
  });
});
