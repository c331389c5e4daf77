// Bundles the CLI and everything it starts into dist/ (`npm run build`, run by `npm ci`), which
// bin/centinela.js runs whenever it is newer than the sources. Dependencies stay external and load
// from node_modules as installed — native ones (better-sqlite3) must — except those in BUNDLED.
import fs from 'node:fs';
import { build } from 'esbuild';

/**
 * Kysely ships as some four hundred small ES modules: resolving and loading each one at start cost
 * ≈ 150 ms of the ≈ 1.6 s a start takes on these machines (bench/RESULTS.md, start-up). Bundled,
 * it is read as part of our own chunks. Pure JavaScript, no files of its own: safe to bundle.
 */
const BUNDLED = new Set(['kysely']);

const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
await build({
  entryPoints: ['src/cli/index.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: Object.keys(pkg.dependencies).filter((d) => !BUNDLED.has(d)),
  splitting: true,
  outdir: 'dist',
  sourcemap: true,
  logLevel: 'warning',
});
