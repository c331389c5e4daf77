import type { Transaction } from 'kysely';
import { CentinelaError, notFound } from '../domain/errors.ts';
import { newId } from '../store/index.ts';
import type { AlarmTable, Database } from '../store/schema.ts';
import type { CaseReviewTable } from '../store/schema-alerts.ts';
import type { AlertsContext } from './context.ts';
import { appendTimeline } from './timeline.ts';

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
  state: r.state as CaseReview['state'],
  reason: r.reason,
  assignedTo: r.assigned_to,
  openedAt: r.opened_at,
  closedAt: r.closed_at,
  closedBy: r.closed_by,
  closingNote: r.closing_note,
});

/** P5: an attack under protection reopens the case, without waiting for the scheduled review. */
export async function openCaseReview(trx: Transaction<Database>, alarm: AlarmTable, now: number): Promise<string> {
  const id = newId('rev');
  await trx
    .insertInto('case_reviews')
    .values({
      id,
      alarm_id: alarm.id,
      beneficiary_id: alarm.beneficiary_id,
      state: 'open',
      reason: 'genuine alarm',
      assigned_to: null,
      opened_at: now,
      closed_at: null,
      closed_by: null,
      closing_note: null,
    })
    .execute();
  await appendTimeline(trx, {
    alarmId: alarm.id,
    at: now,
    kind: 'case_review_opened',
    actor: 'system:escalation',
    detail: { caseReviewId: id },
  });
  return id;
}

export class CaseReviews {
  constructor(private readonly ctx: AlertsContext) {}

  async list(filter: { state?: 'open' | 'closed' | undefined } = {}): Promise<CaseReview[]> {
    let q = this.ctx.db.selectFrom('case_reviews').selectAll().orderBy('opened_at', 'desc');
    if (filter.state) q = q.where('state', '=', filter.state);
    return (await q.execute()).map(toReview);
  }

  async get(id: string): Promise<CaseReview> {
    const row = await this.ctx.db.selectFrom('case_reviews').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('case review', id);
    return toReview(row);
  }

  async assign(id: string, userId: string, by: string): Promise<CaseReview> {
    await this.ctx.repos.users.require(userId);
    const review = await this.get(id);
    if (review.state === 'closed')
      throw new CentinelaError('CENTINELA_ERR_STATE_CONFLICT', 'the case review is closed', { state: 'closed' });
    await this.ctx.db.updateTable('case_reviews').set({ assigned_to: userId }).where('id', '=', id).execute();
    await appendTimeline(this.ctx.db, {
      alarmId: review.alarmId,
      at: this.ctx.clock.now(),
      kind: 'case_review_assigned',
      actor: by,
      detail: { caseReviewId: id, userId },
    });
    return this.get(id);
  }

  async close(id: string, by: string, note: string): Promise<CaseReview> {
    const now = this.ctx.clock.now();
    const res = await this.ctx.db
      .updateTable('case_reviews')
      .set({ state: 'closed', closed_at: now, closed_by: by, closing_note: note })
      .where('id', '=', id)
      .where('state', '=', 'open')
      .executeTakeFirst();
    const review = await this.get(id);
    if (Number(res.numUpdatedRows) === 0)
      throw new CentinelaError('CENTINELA_ERR_STATE_CONFLICT', 'the case review is already closed', { state: review.state });
    await appendTimeline(this.ctx.db, {
      alarmId: review.alarmId,
      at: now,
      kind: 'case_review_closed',
      actor: by,
      detail: { caseReviewId: id },
    });
    return review;
  }
}
