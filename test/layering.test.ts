import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const BIOME = path.join(ROOT, 'node_modules', '.bin', 'biome');

/**
 * `npm run check` keeps the dependency direction of docs/architecture.md with biome.json's rules
 * and tools/lint/queries-only-in-store.grit. These tests plant violations in a temporary copy of
 * that configuration and show that the linter names each one, and leaves the allowed imports alone.
 */
describe('the layering check', { timeout: 60_000 }, () => {
  let dir = '';

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'centinela-layering-'));
    const config = JSON.parse(readFileSync(path.join(ROOT, 'biome.json'), 'utf8')) as Record<string, unknown>;
    // The copy is not a git checkout: read every file, ignore no .gitignore.
    config.vcs = { enabled: false };
    config.$schema = undefined;
    writeFileSync(path.join(dir, 'biome.json'), JSON.stringify(config));
    cpSync(path.join(ROOT, 'tools', 'lint'), path.join(dir, 'tools', 'lint'), { recursive: true });
    const files: Record<string, string> = {
      'src/domain/alarm.ts': "import { db } from '../store/database.ts';\nexport const alarm = db;\n",
      'src/store/database.ts': 'export const db = { selectFrom: (t: string) => t };\n',
      'src/store/repositories/alarms.ts': "import { db } from '../database.ts';\nexport const all = () => db.selectFrom('alarms');\n",
      'src/store/repositories/alerts/steps.ts': 'export const steps = 1;\n',
      'src/store/uses-part.ts': "import { paging } from '../alerts/index.ts';\nexport const s = paging;\n",
      'src/alerts/index.ts': "import { db } from '../store/database.ts';\nexport const paging = db.selectFrom('alarms');\n",
      'src/health/index.ts': "import { paging } from '../alerts/index.ts';\nexport const health = paging;\n",
      'src/ingest/handlers/alarm.ts':
        "import { steps } from '../../store/repositories/alerts/steps.ts';\nimport { all } from '../../store/repositories/alarms.ts';\nexport const h = [steps, all];\n",
      'src/ingest/cycle-a.ts': "import { b } from './cycle-b.ts';\nexport const a = () => b();\n",
      'src/ingest/cycle-b.ts': "import { a } from './cycle-a.ts';\nexport const b = () => a();\n",
      'src/health/raw.ts': "import type SQLite from 'better-sqlite3';\nexport const q = (db: SQLite.Database) => db.prepare('select 1');\n",
      'src/api/app.ts': "import { main } from '../main.ts';\nexport const app = main;\n",
      'src/main.ts':
        "import { app } from './api/app.ts';\nimport { cli } from './cli/index.ts';\nexport const main = 1;\nexport const started = [app, cli];\n",
      'src/cli/index.ts': 'export const cli = 1;\n',
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function lint(): Promise<{ code: number; report: string }> {
    try {
      const out = await run(BIOME, ['lint', '--max-diagnostics=200', '--colors=off', 'src'], { cwd: dir });
      return { code: 0, report: out.stdout + out.stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, report: failed.stdout + failed.stderr };
    }
  }

  function findingsIn(report: string, file: string): string[] {
    return report
      .split('\n')
      .filter((line) => line.startsWith(`${file}:`))
      .map((line) => line.split(/\s+/)[1] ?? '');
  }

  it('fails, naming the file, on a query or a database driver outside src/store, an import cycle and each import against the direction', async () => {
    const { code, report } = await lint();
    expect(code).not.toBe(0);
    expect(findingsIn(report, 'src/alerts/index.ts')).toContain('plugin');
    expect(findingsIn(report, 'src/domain/alarm.ts')).toContain('lint/style/noRestrictedImports');
    expect(findingsIn(report, 'src/store/uses-part.ts')).toContain('lint/style/noRestrictedImports');
    expect(findingsIn(report, 'src/health/index.ts')).toContain('lint/style/noRestrictedImports');
    expect(findingsIn(report, 'src/api/app.ts')).toContain('lint/style/noRestrictedImports');
    expect(findingsIn(report, 'src/main.ts')).toContain('lint/style/noRestrictedImports');
    expect(findingsIn(report, 'src/ingest/cycle-a.ts')).toContain('lint/suspicious/noImportCycles');
    expect(findingsIn(report, 'src/health/raw.ts')).toEqual(expect.arrayContaining(['lint/style/noRestrictedImports', 'plugin']));
    expect(report).toContain('parts talk to each other only through domain events');
  });

  it('lets store build queries and parts import store, even a store folder named like a part', async () => {
    const { report } = await lint();
    expect(findingsIn(report, 'src/store/repositories/alarms.ts')).toEqual([]);
    expect(findingsIn(report, 'src/ingest/handlers/alarm.ts')).toEqual([]);
  });
});
