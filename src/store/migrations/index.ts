import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { CentinelaError } from '../../domain/errors.ts';
import type { Engine } from '../database.ts';
import * as foundation from './001-foundation.ts';
import * as alarms from './002-alarms.ts';
import * as ingest from './003-ingest.ts';
import * as alerts from './004-alerts.ts';
import * as health from './005-health.ts';
import * as consoleSessions from './006-console.ts';
import * as alarmNotes from './011-alarm-notes.ts';
import * as hardwareIds from './012-hardware-ids.ts';
import * as degradedModes from './014-degraded-modes.ts';
import * as configDownlink from './015-config-downlink.ts';
import * as suitabilitySuggestions from './016-suitability-suggestions.ts';
import * as hardening from './017-hardening.ts';
import * as actionPlans from './018-action-plans.ts';
import * as alarmNoteOrder from './019-alarm-note-order.ts';
import * as pathHistory from './020-path-history.ts';

type EngineMigration = { up(db: Kysely<unknown>, engine: Engine): Promise<void> };

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
const MIGRATIONS: Record<string, EngineMigration> = {
  '001-foundation': foundation,
  '002-alarms': alarms,
  '003-ingest': ingest,
  '004-alerts': alerts,
  '005-health': health,
  '006-console': consoleSessions,
  '011-alarm-notes': alarmNotes,
  '012-hardware-ids': hardwareIds,
  '014-degraded-modes': degradedModes,
  '015-config-downlink': configDownlink,
  '016-suitability-suggestions': suitabilitySuggestions,
  '017-hardening': hardening,
  '018-action-plans': actionPlans,
  '019-alarm-note-order': alarmNoteOrder,
  '020-path-history': pathHistory,
};

/**
 * The applied migrations are listed in the table Kysely's Migrator kept (same name and columns),
 * so a database migrated by an earlier version carries on from where it stood.
 */
const APPLIED_TABLE = 'kysely_migration';

/** A migration that failed, named, so the operator knows which one. */
class MigrationFailed extends Error {
  constructor(
    readonly migration: string,
    cause: unknown,
  ) {
    super((cause as Error)?.message ?? String(cause), { cause });
  }
}

/**
 * The PostgreSQL advisory lock that serialises migrations of one schema: nodes starting together
 * on the same schema take turns, and the one that waited finds nothing left to do. Other schemas
 * of the same database (tenants, tests) have locks of their own and never wait for each other.
 */
/** Every migration this version knows, in the order they run. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS).sort();

export const migrationLockKey = (schema: string): string =>
  BigInt.asIntN(64, BigInt(`0x${createHash('sha256').update(`centinela:migrations:${schema}`).digest('hex').slice(0, 16)}`)).toString();

/**
 * Brings the schema up to date; returns the names of the migrations it applied.
 *
 * Our own runner rather than Kysely's Migrator: the Migrator decides whether its bookkeeping
 * tables exist by introspecting every table of every schema in the database, and that scan calls
 * `pg_get_serial_sequence` per column, looking each table up by name without a lock. A schema
 * another Centinela (a tenant, a test) drops during the scan fails it — with "schema does not
 * exist", "relation does not exist", or, when the drop lands between the table's lookup and its
 * column's, "column updated_at of relation beneficiaries does not exist" — though nothing is wrong
 * with ours. This runner reads only its own schema's bookkeeping table, under a lock of its own.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>, engine: Engine): Promise<string[]> {
  return migrateThrough(db, engine, MIGRATION_NAMES[MIGRATION_NAMES.length - 1] as string);
}

/**
 * Applies the pending migrations up to and including `last`: the schema as an earlier version
 * shipped it, so an upgrade can be tried on rows that version wrote.
 */
export async function migrateThrough<DB>(db: Kysely<DB>, engine: Engine, last: string): Promise<string[]> {
  if (!(last in MIGRATIONS)) throw new CentinelaError('CENTINELA_ERR_CONFIG_INVALID', `no migration named ${JSON.stringify(last)}`);
  const plain = db as unknown as Kysely<unknown>;
  try {
    return engine === 'postgres' ? await migratePostgres(plain, last) : await migrateSqlite(plain, last);
  } catch (err) {
    if (err instanceof CentinelaError) throw err;
    const what = err instanceof MigrationFailed ? `migration ${err.migration} failed` : 'migrations could not run';
    throw new CentinelaError('CENTINELA_ERR_STORE_UNAVAILABLE', `${what}: ${(err as Error).message}`, undefined, {
      cause: err instanceof MigrationFailed ? err.cause : err,
    });
  }
}

/** One connection holds the schema's lock; every pending migration runs in one transaction (DDL is transactional). */
async function migratePostgres(db: Kysely<unknown>, last: string): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    const schema = (await sql<{ s: string | null }>`select current_schema() as s`.execute(conn)).rows[0]?.s;
    if (!schema) {
      throw new CentinelaError('CENTINELA_ERR_STORE_UNAVAILABLE', 'no schema to migrate: the search_path names no schema that exists');
    }
    const key = migrationLockKey(schema);
    await sql`select pg_advisory_lock(${key}::bigint)`.execute(conn);
    try {
      return await conn.transaction().execute((trx) => applyPending(trx, 'postgres', schema, last));
    } finally {
      // A connection that died took the lock with it; the error that killed it is the one to report.
      await sql`select pg_advisory_unlock(${key}::bigint)`.execute(conn).catch(() => undefined);
    }
  });
}

/**
 * SQLite: `begin immediate` takes the database's write lock before reading what was applied, so
 * a second process migrating the same file waits (busy_timeout) and then finds nothing to do.
 */
async function migrateSqlite(db: Kysely<unknown>, last: string): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const applied = await applyPending(conn, 'sqlite', undefined, last);
      await sql`commit`.execute(conn);
      return applied;
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    }
  });
}

async function applyPending(db: Kysely<unknown>, engine: Engine, schema: string | undefined, last: string): Promise<string[]> {
  const table = sql.table(schema ? `${schema}.${APPLIED_TABLE}` : APPLIED_TABLE);
  await sql`create table if not exists ${table} (name varchar(255) not null primary key, "timestamp" varchar(255) not null)`.execute(db);
  const applied = new Set((await sql<{ name: string }>`select name from ${table}`.execute(db)).rows.map((r) => r.name));
  const names = Object.keys(MIGRATIONS).sort();
  const unknown = [...applied].filter((name) => !(name in MIGRATIONS));
  if (unknown.length > 0) {
    throw new CentinelaError(
      'CENTINELA_ERR_STORE_UNAVAILABLE',
      `the database was migrated by a newer Centinela (${unknown.join(', ')} unknown to this version): run that version`,
    );
  }
  const gap = names.findIndex((name, i) => !applied.has(name) && names.slice(i + 1).some((later) => applied.has(later)));
  if (gap >= 0) {
    throw new CentinelaError(
      'CENTINELA_ERR_STORE_UNAVAILABLE',
      `migration ${names[gap]} is missing although later ones were applied: the database's history is not this version's`,
    );
  }
  const pending = names.filter((name) => !applied.has(name) && name <= last);
  for (const name of pending) {
    try {
      await (MIGRATIONS[name] as EngineMigration).up(db, engine);
      await sql`insert into ${table} (name, "timestamp") values (${name}, ${new Date().toISOString()})`.execute(db);
    } catch (err) {
      throw new MigrationFailed(name, err);
    }
  }
  return pending;
}
