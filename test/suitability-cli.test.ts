import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDataDir } from './fixtures/cli.ts';

describe('centinela report suitability', () => {
  it('answers "no data" for a fleet with nothing in service, and JSON or CSV on request', async () => {
    const env = { CENTINELA_DATA_DIR: tempDataDir() };
    const table = await runCli(['report', 'suitability'], env);
    expect(table.code).toBe(0);
    expect(table.stdout.trim()).toBe('no data in the period');
    const json = await runCli(['report', 'suitability', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ report: 'suitability', noData: true, rows: [], timeZone: 'America/Mexico_City' });
    expect((await runCli(['report', 'suitability', '--format', 'csv', '--from', '2026-01-01', '--to', '2026-02-01'], env)).code).toBe(0);
  });

  it('refuses a future period, an unknown language and a thresholds file that does not fit, saying why', async () => {
    const dir = tempDataDir();
    const env = { CENTINELA_DATA_DIR: dir };
    const future = await runCli(['report', 'suitability', '--from', '2999-01-01'], env);
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/--from is in the future/);
    const lang = await runCli(['report', 'suitability', '--lang', 'fr'], env);
    expect(lang.stderr.trim()).toBe('centinela: --lang: expected es or en');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'thresholds.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        minPeople: 5,
        rules: [{ kind: '*', figure: 'happiness', min: 1, verdict: 'doubtful', says: { es: 'x', en: 'x' } }],
      }),
    );
    const bad = await runCli(['report', 'suitability'], { ...env, CENTINELA_SUITABILITY_FILE: file });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/suitability thresholds .*thresholds\.json are invalid: rules\.0\.figure/);
  });
});
