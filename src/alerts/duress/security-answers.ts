import { type AnswerResult, normaliseAnswer } from '../../domain/duress.ts';
import { CentinelaError, notFound } from '../../domain/errors.ts';
import { hashSecret, verifySecret } from '../../platform/secrets.ts';
import type { Actor } from '../../store/index.ts';
import type { AlertsContext } from '../context.ts';
import type { ActedBy } from '../lifecycle.ts';
import { escalateDuress } from './escalate-duress.ts';

export interface AnswerCheck {
  result: AnswerResult;
  /** True when this answer escalated the alarm (a second duress answer escalates nothing more). */
  escalated: boolean;
}

/**
 * A person's security question answer and duress answer (issue 18), stored hashed like
 * passwords; the operator records what the caller answered and the centre acts on it.
 */
export class SecurityAnswers {
  constructor(private readonly ctx: AlertsContext) {}

  async set(actor: Actor, beneficiaryId: string, securityAnswer: string, duressAnswer: string): Promise<void> {
    await this.requireBeneficiary(beneficiaryId);
    const security = normaliseAnswer(securityAnswer);
    const duress = normaliseAnswer(duressAnswer);
    if (!security || !duress) throw new CentinelaError('CENTINELA_ERR_VALIDATION', 'both answers need letters or digits');
    // Two answers that sound alike could not be told apart on a bad line.
    if (security === duress) throw new CentinelaError('CENTINELA_ERR_VALIDATION', 'the duress answer must differ from the security answer');
    const hashes = { securityHash: await hashSecret(security), duressHash: await hashSecret(duress) };
    await this.ctx.repos.securityAnswers.set(beneficiaryId, hashes, actor.id, this.ctx.clock.now());
    await this.ctx.repos.audit.record(actor, { action: 'update', recordType: 'security_answers', recordId: beneficiaryId });
  }

  async isSet(beneficiaryId: string): Promise<boolean> {
    await this.requireBeneficiary(beneficiaryId);
    return (await this.ctx.repos.securityAnswers.of(beneficiaryId)) !== undefined;
  }

  /**
   * Checks the answer the caller gave on the phone for an alarm and notes the result. A duress
   * answer escalates the alarm silently, once. The answer itself is never stored or logged.
   */
  async record(alarmId: string, answer: string, by: ActedBy): Promise<AnswerCheck> {
    const { alarms, securityAnswers } = this.ctx.repos;
    const alarm = await alarms.require(alarmId);
    if (alarm.state === 'resolved')
      throw new CentinelaError('CENTINELA_ERR_STATE_CONFLICT', 'the alarm is resolved', { state: alarm.state });
    const hashes = alarm.beneficiaryId ? await securityAnswers.of(alarm.beneficiaryId) : undefined;
    const spoken = normaliseAnswer(answer);
    let result: AnswerResult = 'not_set';
    if (hashes) {
      // Both are checked every time, so the time taken does not tell one answer from the other.
      const [isDuress, isSecurity] = await Promise.all([
        verifySecret(spoken, hashes.duressHash),
        verifySecret(spoken, hashes.securityHash),
      ]);
      result = isDuress ? 'duress' : isSecurity ? 'correct' : 'wrong';
    }
    await alarms.appendTimeline({
      alarmId,
      at: this.ctx.clock.now(),
      kind: 'security_answer',
      actor: by.id,
      detail: { result, via: by.via },
    });
    const escalated = result === 'duress' ? await escalateDuress(this.ctx, alarmId, 'answer', by.id) : false;
    this.ctx.hub.publish({ event: 'alarm.plan_changed', data: { alarmId, at: this.ctx.clock.now() }, personal: false });
    return { result, escalated };
  }

  private async requireBeneficiary(id: string): Promise<void> {
    if (!(await this.ctx.repos.alarms.aliases([id])).has(id)) throw notFound('beneficiary', id);
  }
}
