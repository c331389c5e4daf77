/**
 * Bulk import of spreadsheets (CSV): how long a file of N rows takes per kind, from the bytes to
 * committed rows and audit entries — the same `importCsv` the API and `centinela import` call.
 *
 *   node --import tsx bench/import-bench.ts [rows=1000] [sqlite|postgres] [--skip-secrets]
 *
 * For each kind, in the order a rollout imports them (people, their contacts, responders, then
 * devices): the dry run (the console's preview: decode, validate, check against the database),
 * then the import. Also reported: how long the import's write transaction held the database
 * (an alarm arriving meanwhile waits that long to be stored) and the longest event-loop stall.
 * Devices include hashing a new MQTT secret for each (scrypt, on libuv's thread pool), done
 * before the transaction opens; `--skip-secrets` leaves that row out (it keeps both cores busy
 * for tens of seconds) and keeps the one where secrets are issued later, at installation.
 */
import { execSync } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ImportKind } from '../src/domain/import-rows.ts';
import { importCsv, systemActor } from '../src/store/index.ts';
import { freshStore } from '../test/fixtures/databases.ts';

const ROWS = Number(process.argv[2] ?? 1000);
const ENGINE = (process.argv[3] ?? 'sqlite') as 'sqlite' | 'postgres';
const SKIP_SECRETS = process.argv.includes('--skip-secrets');
const STATES = ['GRO', 'OAX', 'VER', 'CHP', 'MIC', 'CMX', 'JAL', 'CHH', 'TAM', 'GUA', 'MEX', 'PUE', 'SON', 'SIN', 'ZAC', 'YUC'];
const pad = (i: number) => String(i).padStart(5, '0');
const phone = (i: number) => `+5255${String(10_000_000 + i).slice(-8)}`;

const files: Record<ImportKind, string> = {
  beneficiaries: [
    'id,alias,fullName,kind,stateCode,municipality,riskLevel,addresses,presumedAggressors',
    ...Array.from(
      { length: ROWS },
      (_, i) =>
        `ben-${pad(i)},Alias ${i},Persona Número ${i} Ñandú,${i % 3 === 0 ? 'journalist' : 'defender'},${STATES[i % STATES.length]},Municipio ${i % 40},${i % 5 === 0 ? 'extraordinary' : 'high'},"Casa: Calle ${i}, Col. Centro | Oficina: Av. Juárez ${i}",state_police:${STATES[i % STATES.length]}; non_state`,
    ),
  ].join('\n'),
  contacts: [
    'beneficiaryId,name,phone,relation,channels,priority',
    ...Array.from({ length: ROWS }, (_, i) => `ben-${pad(i)},Contacto ${i},${phone(i)},familiar,sms;voice,0`),
  ].join('\n'),
  responders: [
    'id,name,kind,stateCode,municipality,phone,escalationOrder',
    ...Array.from(
      { length: ROWS },
      (_, i) =>
        `rsp-${pad(i)},Policía ${i},municipal_police,${STATES[i % STATES.length]},Municipio ${i % 40},${phone(i + 500_000)},${i % 3}`,
    ),
  ].join('\n'),
  devices: [
    'id,modelId,beneficiaryId,stateCode,installedAt',
    ...Array.from({ length: ROWS }, (_, i) => `pb-${pad(i)},panic-button,ben-${pad(i)},${STATES[i % STATES.length]},2026-01-15T10:00:00Z`),
  ].join('\n'),
};

const db = await freshStore(ENGINE);
const actor = systemActor('bench');
// The write transaction's duration: the import's `run` with dryRun false is the transaction.
const run = db.repos.imports.run.bind(db.repos.imports);
let heldMs = 0;
db.repos.imports.run = async (a, batch, options) => {
  const t0 = performance.now();
  const out = await run(a, batch, options);
  if (!options.dryRun) heldMs = performance.now() - t0;
  return out;
};

const ms = (v: number) => `${v.toFixed(0)} ms`;
const load = () =>
  execSync('uptime')
    .toString()
    .trim()
    .replace(/.*load average: /, '');
console.log(`# import bench: ${ROWS} rows per kind on ${ENGINE}, Node ${process.version}`);
console.log('| kind | file | dry run | import | write transaction | longest event-loop stall | load average |');
console.log('|---|---|---|---|---|---|---|');
const kinds = ['beneficiaries', 'contacts', 'responders', ...(SKIP_SECRETS ? [] : ['devices'])] as ImportKind[];
for (const kind of kinds) {
  const bytes = Buffer.from(files[kind]);
  const t0 = performance.now();
  const dry = await importCsv(db.repos, actor, kind, bytes, { dryRun: true });
  const dryMs = performance.now() - t0;
  if (!dry.ok) throw new Error(`${kind}: ${JSON.stringify(dry.problems.slice(0, 3))}`);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const t1 = performance.now();
  const done = await importCsv(db.repos, actor, kind, bytes, { dryRun: false });
  const importMs = performance.now() - t1;
  loop.disable();
  if (!done.ok || done.ids.length !== ROWS) throw new Error(`${kind}: import failed`);
  console.log(
    `| ${kind} | ${(bytes.length / 1024).toFixed(0)} KiB | ${ms(dryMs)} | ${ms(importMs)} | ${ms(heldMs)} | ${ms(loop.max / 1e6)} | ${load()} |`,
  );
}
{
  // The same devices file, secrets to be issued at installation: no hashing at import.
  const bytes = Buffer.from(files.devices.replaceAll('pb-', 'pb2-'));
  await importCsv(db.repos, actor, 'devices', bytes, { dryRun: true });
  const t1 = performance.now();
  const done = await importCsv(db.repos, actor, 'devices', bytes, { dryRun: false, issueSecrets: false });
  if (!done.ok) throw new Error('devices (secrets later): import failed');
  console.log(
    `| devices, secrets later | ${(bytes.length / 1024).toFixed(0)} KiB | — | ${ms(performance.now() - t1)} | ${ms(heldMs)} | — | ${load()} |`,
  );
}
const verify = await db.repos.audit.verify();
console.log(`\naudit chain after the imports: ${verify.ok ? 'intact' : 'BROKEN'}, ${verify.entries} entries`);
await db.cleanup();
