import { CentinelaError } from '../domain/errors.ts';
import type { CaseReview } from '../store/index.ts';
import type { AlertsContext } from './context.ts';

export type { CaseReview };

/** P5: the case reviews that genuine alarms open; assigning and closing one is on the alarm's timeline. */
export class CaseReviews {
  constructor(private readonly ctx: AlertsContext) {}

  list(filter: { state?: 'open' | 'closed' | undefined } = {}): Promise<CaseReview[]> {
    return this.ctx.repos.caseReviews.list(filter);
  }

  get(id: string): Promise<CaseReview> {
    return this.ctx.repos.caseReviews.require(id);
  }

  async assign(id: string, userId: string, by: string): Promise<CaseReview> {
    const { users, caseReviews, alarms } = this.ctx.repos;
    await users.require(userId);
    const review = await caseReviews.require(id);
    if (review.state === 'closed')
      throw new CentinelaError('CENTINELA_ERR_STATE_CONFLICT', 'the case review is closed', { state: 'closed' });
    await caseReviews.assign(id, userId);
    await alarms.appendTimeline({
      alarmId: review.alarmId,
      at: this.ctx.clock.now(),
      kind: 'case_review_assigned',
      actor: by,
      detail: { caseReviewId: id, userId },
    });
    return caseReviews.require(id);
  }

  async close(id: string, by: string, note: string): Promise<CaseReview> {
    const { caseReviews, alarms } = this.ctx.repos;
    const now = this.ctx.clock.now();
    const closed = await caseReviews.close(id, by, note, now);
    const review = await caseReviews.require(id);
    if (!closed) throw new CentinelaError('CENTINELA_ERR_STATE_CONFLICT', 'the case review is already closed', { state: review.state });
    await alarms.appendTimeline({ alarmId: review.alarmId, at: now, kind: 'case_review_closed', actor: by, detail: { caseReviewId: id } });
    return review;
  }
}
