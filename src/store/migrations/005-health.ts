import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/** Tables of src/health. */
export async function up(_db: Kysely<unknown>, _engine: Engine): Promise<void> {}
