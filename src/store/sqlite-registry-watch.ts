import type SQLite from 'better-sqlite3';

/** The tables whose rows the alarm path keeps in memory (src/store/repositories/registry-cache-sqlite.ts). */
export const WATCHED_TABLES = ['users', 'contacts', 'responders', 'beneficiaries', 'case_plan_steps'] as const;
const OPERATIONS = ['insert', 'update', 'delete'] as const;

/**
 * Says whether the registry may have changed since it was last asked, whoever changed it: this
 * process through any repository, import or migration (temporary triggers on the watched tables,
 * which fire for this connection's writes), or another process on the same file — `centinela
 * user add`, `centinela import` while the server runs (SQLite's `data_version`, which moves when
 * another connection commits). A stale responder or contact on the alarm path is a safety bug,
 * so nothing here depends on a write path remembering to say so.
 */
export class SqliteRegistryWatch {
  private readonly local: { writes: number };
  private readonly dataVersion: SQLite.Statement;
  private readonly triggers: SQLite.Statement;
  private last: string | undefined;

  constructor(private readonly db: SQLite.Database) {
    this.dataVersion = db.prepare('pragma data_version').pluck();
    this.triggers = db.prepare("select count(*) from sqlite_temp_master where type = 'trigger' and name like 'centinela_watch_%'").pluck();
    this.local = writesOn(db);
  }

  /** True when something may have changed since the previous call (and on the first). */
  changed(): boolean {
    // A table rebuilt by a migration drops its triggers with it: put back, and count as a change.
    if (this.triggers.get() !== WATCHED_TABLES.length * OPERATIONS.length) this.arm();
    const now = `${this.dataVersion.get()}:${this.local.writes}`;
    const changed = now !== this.last;
    this.last = now;
    return changed;
  }

  private arm(): void {
    for (const table of WATCHED_TABLES)
      for (const op of OPERATIONS)
        this.db.exec(
          `create temp trigger if not exists centinela_watch_${table}_${op} after ${op} on main.${table} begin select centinela_registry_changed(); end`,
        );
    this.local.writes += 1;
  }
}

/**
 * One count of registry writes per connection, shared by every watch on it: registering the
 * function again (a second set of repositories on one store) would leave the first watch blind.
 */
const counts = new WeakMap<SQLite.Database, { writes: number }>();
function writesOn(db: SQLite.Database): { writes: number } {
  let count = counts.get(db);
  if (!count) {
    const c = { writes: 0 };
    db.function('centinela_registry_changed', { deterministic: false }, () => {
      c.writes += 1;
      return null;
    });
    counts.set(db, c);
    count = c;
  }
  return count;
}
