import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/** Beneficiaries' addresses (JSON list), entered from the administration pages or a CSV import. */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .alterTable('beneficiaries')
    .addColumn('addresses', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
}
