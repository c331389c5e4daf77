import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
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

class StaticProvider implements MigrationProvider {
  constructor(private readonly engine: Engine) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(MIGRATIONS).map(([name, m]) => [name, { up: (db: Kysely<unknown>) => m.up(db, this.engine) }]),
    );
  }
}

/** Brings the schema up to date; returns the names of the migrations it applied. */
export async function migrateToLatest<DB>(db: Kysely<DB>, engine: Engine): Promise<string[]> {
  const plain = db as unknown as Kysely<unknown>;
  // Kysely looks for its bookkeeping tables in every schema; pinning it to ours keeps two
  // Centinelas in two schemas of one PostgreSQL database (tests, tenants) apart.
  const schema = engine === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(plain)).rows[0]?.s : undefined;
  const migrator = new Migrator({ db: plain, provider: new StaticProvider(engine), ...(schema ? { migrationTableSchema: schema } : {}) });
  let { error, results } = await migrator.migrateToLatest();
  // Kysely lists the tables of every schema before migrating; a schema another tenant drops
  // during that scan fails it (3F000/42P01) though nothing is wrong with ours: try again.
  for (let attempt = 1; attempt < 4 && isCatalogueRace(error); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    ({ error, results } = await migrator.migrateToLatest());
  }
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new CentinelaError('CENTINELA_ERR_STORE_UNAVAILABLE', `migration ${failed} failed: ${(error as Error).message}`, undefined, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

const isCatalogueRace = (error: unknown): boolean => ['3F000', '42P01'].includes(String((error as { code?: unknown } | undefined)?.code));
