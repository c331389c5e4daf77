/**
 * Start-up benchmark: spawns `centinela serve` on embedded defaults (fresh SQLite each run)
 * and measures the time from spawn to the first 200 from /readyz.
 *
 *   node --import tsx bench/startup.ts [runs=10]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/centinela.js', import.meta.url));
const runs = Number(process.argv[2] ?? 10);

async function once(fresh: boolean, dataDir: string): Promise<number> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      ...process.env,
      CENTINELA_DATA_DIR: dataDir,
      CENTINELA_HTTP_PORT: String(port),
      CENTINELA_MQTT_PORT: '0',
      CENTINELA_LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        if (res.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 10));
      if (performance.now() - started > 30_000) throw new Error(`not ready after 30 s (fresh=${fresh})`);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN;
for (const fresh of [true, false]) {
  const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-bench-'));
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once(fresh, fresh ? fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-bench-')) : shared));
  console.log(
    `${fresh ? 'fresh database (migrations run)' : 'existing database          '}: spawn → /readyz 200  p50 ${pct(times, 50).toFixed(0)} ms  max ${Math.max(...times).toFixed(0)} ms  (${runs} runs)`,
  );
}
