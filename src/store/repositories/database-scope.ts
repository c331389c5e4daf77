import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.ts';
import type { Database } from '../schema.ts';

/** Which database a node works on, for what must be unique per database (leadership roles). */
export class DatabaseScope {
  constructor(
    private readonly db: Kysely<Database>,
    readonly engine: Engine,
  ) {}

  /** PostgreSQL's current schema (clusters sharing one server keep apart by it); SQLite: 'main'. */
  async schema(): Promise<string> {
    if (this.engine !== 'postgres') return 'main';
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(this.db);
    return rows[0]?.schema ?? 'public';
  }
}
