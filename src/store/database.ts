import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { CentinelaError } from '../domain/errors.ts';
import type { Database } from './schema.ts';

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
  close(): Promise<void>;
}

// PostgreSQL returns int8 (bigint, count(*)) as strings; our bigints are epoch ms and counts,
// all well inside Number's exact range, so they are parsed to numbers once, here.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => (v === null ? null : Number(v));
    return pg.types.getTypeParser(oid, format);
  },
};

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
  handle.pragma('journal_mode = WAL');
  // P1: FULL makes each commit survive a power cut, not only a process crash.
  handle.pragma('synchronous = FULL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
  return {
    db,
    engine: 'sqlite',
    sqlite: handle,
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
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize ?? 10,
    types: pgTypes,
    connectionTimeoutMillis: 5000,
    // Kysely's migrator introspects every schema; a parallel worker scanning the catalogue can
    // trip over a schema another tenant drops meanwhile, so catalogue scans stay serial here.
    ...(config.schema ? { options: `-c search_path=${config.schema} -c max_parallel_workers_per_gather=0` } : {}),
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries report their own errors.
  });
  // pg-pool takes its error listener off a client while it is checked out: a connection lost
  // between two queries of a transaction (a database outage, issue 13) would then crash the
  // process with an unhandled 'error'. The query in flight or the next one reports it instead.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    if (config.schema) await sql`create schema if not exists ${sql.id(config.schema)}`.execute(db);
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
