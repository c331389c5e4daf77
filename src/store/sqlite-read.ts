import type SQLite from 'better-sqlite3';

/**
 * A read on the raw SQLite handle for a hot path the query builder is too slow for (a fleet's
 * CONNECTs, every alarm, the alerts pump's idle passes), prepared on first use — so a repository
 * can be built before the migrations have made its tables.
 *
 * `now()` answers undefined while a query-builder transaction is open on the connection: a read
 * then would see that transaction's uncommitted rows. The caller then takes the query builder,
 * which waits its turn.
 */
export class SqliteRead {
  private statement: SQLite.Statement | undefined;

  constructor(
    private readonly db: SQLite.Database,
    private readonly sql: string,
    /** The first column of each row instead of the row. */
    private readonly pluck = false,
  ) {}

  now(): SQLite.Statement | undefined {
    if (this.db.inTransaction) return undefined;
    if (!this.statement) {
      this.statement = this.db.prepare(this.sql);
      if (this.pluck) this.statement.pluck();
    }
    return this.statement;
  }
}

/** A `SqliteRead` on SQLite, undefined on PostgreSQL (whose repositories keep the query builder). */
export function sqliteRead(db: SQLite.Database | undefined, sql: string, pluck = false): SqliteRead | undefined {
  return db && new SqliteRead(db, sql, pluck);
}
