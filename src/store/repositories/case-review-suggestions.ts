import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../actor.ts';
import { newId } from '../ids.ts';
import { checkedJson } from '../row-check.ts';
import type { Database } from '../schema.ts';
import type { AuditLog } from './audit.ts';

export interface CaseReviewSuggestion {
  id: string;
  caseReviewId: string;
  beneficiaryId: string;
  suggestedBy: string;
  suggestedAt: number;
  suggestion: string;
  /** The measures' verdicts when the suggestion was made: kind → verdict. */
  verdicts: Record<string, string>;
}

const verdictsSchema = z.record(z.string(), z.string());

/** Issue 19: changes of measure proposed on a case review from the person's suitability figures. */
export class CaseReviewSuggestionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
  ) {}

  /** Stored with its audit entry in one transaction: a case decision about a person (P6). */
  async add(actor: Actor, input: Omit<CaseReviewSuggestion, 'id' | 'suggestedBy'>): Promise<CaseReviewSuggestion> {
    const id = newId('sug');
    const saved = { id, ...input, suggestedBy: actor.id };
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('case_review_suggestions')
        .values({
          id,
          case_review_id: input.caseReviewId,
          beneficiary_id: input.beneficiaryId,
          suggested_by: actor.id,
          suggested_at: input.suggestedAt,
          suggestion: input.suggestion,
          verdicts: JSON.stringify(input.verdicts),
        })
        .execute();
      await this.audit.append(trx, actor, {
        action: 'create',
        recordType: 'case_review_suggestion',
        recordId: id,
        detail: { caseReviewId: input.caseReviewId, beneficiaryId: input.beneficiaryId },
      });
    });
    return saved;
  }

  async ofBeneficiary(beneficiaryId: string): Promise<CaseReviewSuggestion[]> {
    const rows = await this.db
      .selectFrom('case_review_suggestions')
      .selectAll()
      .where('beneficiary_id', '=', beneficiaryId)
      .orderBy('suggested_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      caseReviewId: r.case_review_id,
      beneficiaryId: r.beneficiary_id,
      suggestedBy: r.suggested_by,
      suggestedAt: Number(r.suggested_at),
      suggestion: r.suggestion,
      verdicts: checkedJson('case_review_suggestions', r.id, 'verdicts', verdictsSchema, r.verdicts) ?? {},
    }));
  }
}
