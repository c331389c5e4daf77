import type { Kysely } from 'kysely';
import { notFound } from '../../domain/errors.ts';
import { newId } from '../ids.ts';
import { checkedOneOf } from '../row-check.ts';
import type { Database } from '../schema.ts';
import type { CaseReviewTable } from '../schema-alerts.ts';
import type { Tx } from './alarms.ts';

export interface CaseReview {
  id: string;
  alarmId: string;
  beneficiaryId: string | null;
  state: 'open' | 'closed';
  reason: string;
  assignedTo: string | null;
  openedAt: number;
  closedAt: number | null;
  closedBy: string | null;
  closingNote: string | null;
}

const toReview = (r: CaseReviewTable): CaseReview => ({
  id: r.id,
  alarmId: r.alarm_id,
  beneficiaryId: r.beneficiary_id,
  state: checkedOneOf('case_reviews', r.id, 'state', ['open', 'closed'], r.state),
  reason: r.reason,
  assignedTo: r.assigned_to,
  openedAt: r.opened_at,
  closedAt: r.closed_at,
  closedBy: r.closed_by,
  closingNote: r.closing_note,
});

/** P5: the review of a person's protection that a genuine alarm opens. */
export class CaseReviewRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async open(tx: Tx, alarm: { id: string; beneficiaryId: string | null }, now: number): Promise<string> {
    const id = newId('rev');
    await tx
      .insertInto('case_reviews')
      .values({
        id,
        alarm_id: alarm.id,
        beneficiary_id: alarm.beneficiaryId,
        state: 'open',
        reason: 'genuine alarm',
        assigned_to: null,
        opened_at: now,
        closed_at: null,
        closed_by: null,
        closing_note: null,
      })
      .execute();
    return id;
  }

  async list(filter: { state?: 'open' | 'closed' | undefined } = {}): Promise<CaseReview[]> {
    let q = this.db.selectFrom('case_reviews').selectAll().orderBy('opened_at', 'desc');
    if (filter.state) q = q.where('state', '=', filter.state);
    return (await q.execute()).map(toReview);
  }

  async ofAlarm(alarmId: string): Promise<CaseReview[]> {
    return (await this.db.selectFrom('case_reviews').selectAll().where('alarm_id', '=', alarmId).execute()).map(toReview);
  }

  async require(id: string): Promise<CaseReview> {
    const row = await this.db.selectFrom('case_reviews').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('case review', id);
    return toReview(row);
  }

  async assign(id: string, userId: string): Promise<void> {
    await this.db.updateTable('case_reviews').set({ assigned_to: userId }).where('id', '=', id).execute();
  }

  /** Closes an open review; false if it was already closed. */
  async close(id: string, by: string, note: string, now: number): Promise<boolean> {
    const res = await this.db
      .updateTable('case_reviews')
      .set({ state: 'closed', closed_at: now, closed_by: by, closing_note: note })
      .where('id', '=', id)
      .where('state', '=', 'open')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
}
