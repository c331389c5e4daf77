import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, test } from 'vitest';
import { migrateToLatest, openStore, type Store } from '../src/store/index.ts';
import { MIGRATION_NAMES, migrationLockKey } from '../src/store/migrations/index.ts';
import { runCli } from './fixtures/cli.ts';
import { PG_URL, requirePostgres } from './fixtures/databases.ts';

/**
 * Migrations as nodes run them at start: several nodes at once on one new database, next to
 * other Centinelas (tenants, tests) in other schemas of the same PostgreSQL database that are
 * created and dropped meanwhile.
 */
const ALL = MIGRATION_NAMES.length;
const opened: Store[] = [];
const schemas: string[] = [];
const dirs: string[] = [];
afterEach(async () => {
  const admin = opened[0];
  for (const schema of schemas.splice(0)) if (admin) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin.db);
  for (const s of opened.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const newSchema = () => {
  const schema = `m_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  return schema;
};
const openPg = async (schema: string) => {
  const store = await openStore({ kind: 'postgres', url: PG_URL, schema, poolSize: 2 });
  opened.push(store);
  return store;
};
const appliedIn = async (store: Store) =>
  (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db)).rows.map((r) => r.name);

/** Other tenants' schemas created, migrated and dropped in a loop until `stop` resolves. */
async function churnOtherSchemas(stop: Promise<unknown>): Promise<number> {
  let stopped = false;
  void stop.finally(() => {
    stopped = true;
  });
  let rounds = 0;
  while (!stopped) {
    const schema = newSchema();
    const other = await openPg(schema);
    await migrateToLatest(other.db, other.engine);
    await sql`drop schema ${sql.id(schema)} cascade`.execute(other.db);
    schemas.splice(schemas.indexOf(schema), 1);
    rounds++;
  }
  return rounds;
}

describe('migrations on PostgreSQL', () => {
  test('three nodes starting together on a new schema: each migration is applied once, every node starts', async () => {
    await requirePostgres();
    for (let round = 0; round < 3; round++) {
      const schema = newSchema();
      // Opened at once too: creating the schema is raced as well.
      const nodes = await Promise.all([0, 1, 2].map(() => openPg(schema)));
      const starting = Promise.all(nodes.map((n) => migrateToLatest(n.db, n.engine)));
      const [results] = await Promise.all([starting, churnOtherSchemas(starting)]);
      const counts = results.map((r) => r.length).sort((a, b) => a - b);
      expect(counts, `migrations applied by each node, round ${round}`).toEqual([0, 0, ALL]);
      expect(await appliedIn(nodes[0] as Store)).toHaveLength(ALL);
      // Every node sees the tables.
      for (const n of nodes) expect((await sql`select count(*) from beneficiaries`.execute(n.db)).rows).toHaveLength(1);
    }
  }, 120_000);

  test("a schema's migration does not wait for another schema's", async () => {
    await requirePostgres();
    const busy = newSchema();
    const mine = await openPg(newSchema());
    await openPg(busy);
    // Another tenant's node holds its migration lock (mid-migration, or stuck).
    const holder = new pg.Client({ connectionString: PG_URL });
    await holder.connect();
    try {
      await holder.query('select pg_advisory_lock($1::bigint)', [migrationLockKey(busy)]);
      expect(await migrateToLatest(mine.db, mine.engine)).toHaveLength(ALL);
    } finally {
      await holder.end();
    }
  });

  test('a database migrated by a newer Centinela is refused, naming the migration this version does not know', async () => {
    await requirePostgres();
    const store = await openPg(newSchema());
    await migrateToLatest(store.db, store.engine);
    await sql`insert into kysely_migration (name, "timestamp") values ('999-from-the-future', ${new Date().toISOString()})`.execute(
      store.db,
    );
    await expect(migrateToLatest(store.db, store.engine)).rejects.toThrow(/newer Centinela \(999-from-the-future/);
  });

  test('a migration that fails is named, and nothing of the run is kept', async () => {
    await requirePostgres();
    const store = await openPg(newSchema());
    // A table in the way of migration 001 (as a half-restored backup would leave).
    await sql`create table device_models (id text primary key)`.execute(store.db);
    await expect(migrateToLatest(store.db, store.engine)).rejects.toThrow(/^migration 001-foundation failed: /);
    const tables = await sql<{
      n: number;
    }>`select count(*)::int as n from information_schema.tables where table_schema = current_schema()`.execute(store.db);
    // Only the table that was there: the run is one transaction, its bookkeeping included.
    expect(tables.rows[0]?.n).toBe(1);
  });
});

describe('migrations on SQLite', () => {
  test('two processes migrating one new database file at once: each migration is applied once, both succeed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'centinela-migrate-'));
    dirs.push(dir);
    // Separate processes, as two `centinela migrate` (or a migrate beside a starting serve) would be.
    const runs = await Promise.all([0, 1].map(() => runCli(['--json', 'migrate'], { CENTINELA_DATA_DIR: dir })));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const applied = runs.map((r) => (JSON.parse(r.stdout) as { applied: string[] }).applied.length);
    expect(applied.sort((x, y) => x - y)).toEqual([0, ALL]);
    const store = await openStore({ kind: 'sqlite', file: path.join(dir, 'centinela.db') });
    opened.push(store);
    expect(await appliedIn(store)).toHaveLength(ALL);
  }, 60_000);
});
