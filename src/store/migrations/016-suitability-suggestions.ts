import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';

/**
 * Issue 19: a supervisor reviewing a case may propose a change of measure from the person's
 * suitability figures; the suggestion is kept on the case review with the verdicts it rested on.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('case_review_suggestions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_review_id', 'text', (c) => c.notNull().references('case_reviews.id'))
    .addColumn('beneficiary_id', 'text', (c) => c.notNull())
    .addColumn('suggested_by', 'text', (c) => c.notNull())
    .addColumn('suggested_at', 'bigint', (c) => c.notNull())
    .addColumn('suggestion', 'text', (c) => c.notNull())
    .addColumn('verdicts', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_review_suggestions_review').on('case_review_suggestions').column('case_review_id').execute();
}
