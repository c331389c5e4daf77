import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type pg from 'pg';
import { CentinelaError } from '../domain/errors.ts';
import type { Database } from './schema.ts';
import { StoreHealth } from './store-health.ts';

export type Engine = 'sqlite' | 'postgres';

export type DatabaseConfig =
  | { kind: 'sqlite'; file: string }
  /** `schema`: a PostgreSQL schema to create and use (tests and multi-tenant set-ups). */
  | { kind: 'postgres'; url: string; schema?: string; poolSize?: number };

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  /** The raw SQLite handle, for the synchronous durable writes of the alarm path (P1). */
  sqlite: SQLite.Database | undefined;
  ping(): Promise<boolean>;
  /** Whether the store can commit now, and a fault logged once per episode (issue 13). */
  health: StoreHealth;
  close(): Promise<void>;
}

/**
 * When SQLite fails a statement with SQLITE_FULL or an I/O error it rolls the transaction back
 * itself; Kysely's ROLLBACK then fails with "cannot rollback - no transaction is active" and that
 * error replaces the real one. Skipping the ROLLBACK when no transaction is open keeps the cause.
 */
class KeepCauseSqliteDialect extends SqliteDialect {
  constructor(private readonly handle: SQLite.Database) {
    super({ database: withStatementCache(handle) });
  }
  override createDriver() {
    const driver = super.createDriver();
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.rollbackTransaction = async (connection) => {
      if (this.handle.inTransaction) await rollback(connection);
    };
    return driver;
  }
}

/**
 * Kysely's SQLite driver prepares every query afresh, and SQLite's parsing and planning of them
 * was a measurable share of an alarm's CPU (bench/alarm-cpu-results.md). The repositories issue the same
 * few hundred statement texts over and over, so the prepared statements are kept and reused
 * (least recently used dropped past the bound: texts with a variable number of `?` differ).
 * Safe because better-sqlite3 runs each statement to completion before returning (no query here is
 * streamed with `iterate`, which would hold its statement busy), and a statement re-prepares itself
 * after a schema change.
 */
const STATEMENT_CACHE_SIZE = 500;
function withStatementCache(handle: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = (source: string): SQLite.Statement => {
    let stmt = cache.get(source);
    if (stmt) {
      cache.delete(source);
    } else {
      stmt = handle.prepare(source);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    }
    cache.set(source, stmt);
    return stmt;
  };
  return new Proxy(handle, {
    get: (target, key) => {
      if (key === 'prepare') return prepare;
      const value = Reflect.get(target, key, target);
      // better-sqlite3's native methods must be called on the handle itself, not the proxy.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

// PostgreSQL returns int8 (bigint, count(*)) as strings; our bigints are epoch ms and counts,
// all well inside Number's exact range, so they are parsed to numbers once, here.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const pgTypesOf = (types: typeof pg.types) => ({
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => (v === null ? null : Number(v));
    return types.getTypeParser(oid, format);
  },
});

export async function openStore(config: DatabaseConfig): Promise<Store> {
  return config.kind === 'sqlite' ? openSqlite(config.file) : openPostgres(config);
}

function openSqlite(file: string): Store {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  let handle: SQLite.Database;
  try {
    handle = new SQLite(file);
  } catch (err) {
    throw new CentinelaError(
      'CENTINELA_ERR_STORE_UNAVAILABLE',
      `cannot open SQLite database at ${file}: ${(err as Error).message}`,
      undefined,
      { cause: err },
    );
  }
  // First: another process holding the write lock (a migration, a backup) is waited for, not an error.
  handle.pragma('busy_timeout = 5000');
  handle.pragma('journal_mode = WAL');
  // P1: FULL makes each commit survive a power cut, not only a process crash.
  handle.pragma('synchronous = FULL');
  handle.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new KeepCauseSqliteDialect(handle) });
  return {
    db,
    engine: 'sqlite',
    sqlite: handle,
    health: new StoreHealth({ db, engine: 'sqlite' }, { dataDir: file === ':memory:' ? undefined : path.dirname(file) }),
    ping: async () => {
      try {
        handle.prepare('select 1').get();
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.destroy(),
  };
}

async function openPostgres(config: { url: string; schema?: string; poolSize?: number }): Promise<Store> {
  if (config.schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(config.schema)) {
    throw new CentinelaError('CENTINELA_ERR_CONFIG_INVALID', `invalid PostgreSQL schema name ${JSON.stringify(config.schema)}`);
  }
  // Loaded only here: a centre on embedded SQLite never pays for the driver at start (bench/RESULTS.md).
  const { default: Pg } = await import('pg');
  const pool = new Pg.Pool({
    connectionString: config.url,
    max: config.poolSize ?? 10,
    types: pgTypesOf(Pg.types),
    connectionTimeoutMillis: 5000,
    ...(config.schema ? { options: `-c search_path=${config.schema}` } : {}),
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries report their own errors.
  });
  // A client checked out between two queries (inside a transaction, say) that loses its
  // connection emits 'error' with nobody listening, which would end the process: a database
  // outage must be a 503, not a crash (issue 13). Its next query fails and reports it.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    if (config.schema) await createSchema(db, config.schema);
    else await sql`select 1`.execute(db);
  } catch (err) {
    await db.destroy();
    throw new CentinelaError(
      'CENTINELA_ERR_STORE_UNAVAILABLE',
      `cannot reach PostgreSQL (DATABASE_URL): ${(err as Error).message}`,
      undefined,
      { cause: err },
    );
  }
  return {
    db,
    engine: 'postgres',
    sqlite: undefined,
    health: new StoreHealth({ db, engine: 'postgres' }),
    ping: async () => {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.destroy(),
  };
}

/**
 * `create schema if not exists` is not safe against itself: two nodes starting together on a new
 * schema can both find it missing, and the second insert into the catalogue fails (23505). The
 * schema existing afterwards is all that matters.
 */
async function createSchema(db: Kysely<Database>, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (err) {
    const exists = await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(db);
    if (exists.rows.length === 0) throw err;
  }
}
