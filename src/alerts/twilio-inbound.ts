import twilio from 'twilio';
import { isAckReply } from '../domain/alarm-lifecycle.ts';
import { isCentinelaError } from '../domain/errors.ts';
import type { AlertsContext } from './context.ts';
import { applyTransition } from './lifecycle.ts';
import { fallBackToVoice } from './sender.ts';
import { DEFAULT_LANGUAGE } from './templates.ts';
import { appendTimeline } from './timeline.ts';

const TERMINAL = ['delivered', 'undelivered', 'failed', 'answered', 'cancelled'];

/** What Twilio tells us, once its signature has been checked by the route (issue 4). */
export class TwilioInbound {
  constructor(
    private readonly ctx: AlertsContext,
    private readonly publicUrl: string,
  ) {}

  /** SMS status callback: reached only when *delivered*; failed/undelivered falls back to voice. */
  async smsStatus(params: Record<string, string>): Promise<void> {
    const sid = params.MessageSid ?? params.SmsSid;
    const status = params.MessageStatus ?? params.SmsStatus;
    if (!sid || !status) return;
    const n = await this.ctx.db.selectFrom('notifications').selectAll().where('provider_id', '=', sid).executeTakeFirst();
    if (!n || TERMINAL.includes(n.status)) return;
    const now = this.ctx.clock.now();
    const mapped = status === 'delivered' ? 'delivered' : status === 'failed' || status === 'undelivered' ? status : 'sent';
    await this.ctx.db
      .updateTable('notifications')
      .set({
        status: mapped,
        updated_at: now,
        ...(mapped === 'delivered' ? { reached_at: now } : {}),
        ...(params.ErrorCode ? { last_error: `twilio error ${params.ErrorCode}` } : {}),
      })
      .where('id', '=', n.id)
      .execute();
    await appendTimeline(this.ctx.db, {
      alarmId: n.alarm_id,
      at: now,
      kind: 'provider_status',
      actor: 'twilio',
      detail: { notificationId: n.id, providerId: sid, status, ...(params.ErrorCode ? { errorCode: params.ErrorCode } : {}) },
    });
    this.ctx.events.emit('notification.changed', {
      alarmId: n.alarm_id,
      notificationId: n.id,
      channel: n.channel,
      status: mapped,
      at: now,
    });
    if (mapped === 'failed' || mapped === 'undelivered') await fallBackToVoice(this.ctx, n.id, `sms ${mapped}`);
  }

  /**
   * Call status callback. A finished call without a keypress reached no one (docs/architecture.md): it is
   * recorded as such, never as delivered.
   */
  async voiceStatus(notificationId: string, params: Record<string, string>): Promise<void> {
    const callStatus = params.CallStatus;
    if (!callStatus) return;
    const n = await this.ctx.db.selectFrom('notifications').selectAll().where('id', '=', notificationId).executeTakeFirst();
    if (n?.channel !== 'voice') return;
    const now = this.ctx.clock.now();
    const final = ['completed', 'busy', 'no-answer', 'failed', 'canceled'].includes(callStatus);
    if (final && n.status !== 'answered') {
      const status = callStatus === 'completed' ? 'unanswered' : callStatus;
      await this.ctx.db.updateTable('notifications').set({ status, updated_at: now }).where('id', '=', n.id).execute();
      this.ctx.events.emit('notification.changed', { alarmId: n.alarm_id, notificationId: n.id, channel: 'voice', status, at: now });
    }
    await appendTimeline(this.ctx.db, {
      alarmId: n.alarm_id,
      at: now,
      kind: 'provider_status',
      actor: 'twilio',
      detail: { notificationId: n.id, providerId: params.CallSid ?? null, status: callStatus },
    });
  }

  /** The TwiML of a call: speak the alarm, gather one key; "1" acknowledges. */
  async voiceTwiml(notificationId: string): Promise<string> {
    const n = await this.ctx.db
      .selectFrom('notifications')
      .select(['body', 'language'])
      .where('id', '=', notificationId)
      .executeTakeFirst();
    const r = new twilio.twiml.VoiceResponse();
    if (!n) {
      r.hangup();
      return r.toString();
    }
    const language = this.ctx.templates.voiceLanguage(n.language) as never;
    const gather = r.gather({ numDigits: 1, timeout: 10, action: `${this.publicUrl}/api/twilio/gather/${notificationId}`, method: 'POST' });
    gather.say({ language }, n.body);
    gather.say({ language }, n.body);
    r.say({ language }, this.ctx.templates.render(n.language, 'voiceNoInput', {}));
    return r.toString();
  }

  /** A keypress: the call reached someone; from staff, "1" is the acknowledgement. */
  async gather(notificationId: string, digits: string | undefined): Promise<string> {
    const r = new twilio.twiml.VoiceResponse();
    const n = await this.ctx.db.selectFrom('notifications').selectAll().where('id', '=', notificationId).executeTakeFirst();
    if (!n) {
      r.hangup();
      return r.toString();
    }
    const language = this.ctx.templates.voiceLanguage(n.language) as never;
    if (digits !== '1') {
      r.say({ language }, this.ctx.templates.render(n.language, 'voiceNoInput', {}));
      return r.toString();
    }
    const now = this.ctx.clock.now();
    await this.ctx.db
      .updateTable('notifications')
      .set({ status: 'answered', reached_at: now, updated_at: now })
      .where('id', '=', n.id)
      .execute();
    await appendTimeline(this.ctx.db, {
      alarmId: n.alarm_id,
      at: now,
      kind: 'call_answered',
      actor: 'twilio',
      detail: { notificationId: n.id, digits },
    });
    this.ctx.events.emit('notification.changed', {
      alarmId: n.alarm_id,
      notificationId: n.id,
      channel: 'voice',
      status: 'answered',
      at: now,
    });
    // Only a centre operator or supervisor takes charge by keypress; a contact's keypress confirms receipt.
    if (n.recipient_type === 'user' && n.recipient_id) await this.acknowledge(n.alarm_id, n.recipient_id, 'voice');
    r.say({ language }, this.ctx.templates.render(n.language, 'voiceAcknowledged', {}));
    return r.toString();
  }

  /** An SMS reply "1", "OK" or "SI" from a registered operator or supervisor phone acknowledges. */
  async inboundSms(params: Record<string, string>): Promise<string> {
    const r = new twilio.twiml.MessagingResponse();
    const from = params.From ?? '';
    const user = from ? await this.ctx.repos.users.findByPhone(from) : undefined;
    if (!user || (user.role !== 'operator' && user.role !== 'supervisor')) {
      this.ctx.logger.warn({ reason: user ? 'role may not acknowledge' : 'unknown phone' }, 'sms reply refused');
      r.message(this.ctx.templates.render(DEFAULT_LANGUAGE, 'smsUnknownPhone', {}));
      return r.toString();
    }
    if (!isAckReply(params.Body ?? '')) return r.toString();
    const latest = await this.ctx.db
      .selectFrom('notifications')
      .innerJoin('alarms', 'alarms.id', 'notifications.alarm_id')
      .select(['alarms.id as alarmId'])
      .where('notifications.recipient_type', '=', 'user')
      .where('notifications.recipient_id', '=', user.id)
      .where('alarms.state', '=', 'open')
      .orderBy('notifications.created_at', 'desc')
      .executeTakeFirst();
    if (!latest) {
      r.message(this.ctx.templates.render(DEFAULT_LANGUAGE, 'smsNothingOpen', {}));
      return r.toString();
    }
    const won = await this.acknowledge(latest.alarmId, user.id, 'sms');
    r.message(this.ctx.templates.render(DEFAULT_LANGUAGE, won ? 'smsAcknowledged' : 'smsNothingOpen', { ref: latest.alarmId }));
    return r.toString();
  }

  private async acknowledge(alarmId: string, userId: string, via: 'sms' | 'voice'): Promise<boolean> {
    try {
      await applyTransition(this.ctx, alarmId, { type: 'acknowledge' }, { id: userId, via });
      return true;
    } catch (err) {
      // Someone else acknowledged first: first acknowledgement wins, this one is noted only.
      if (isCentinelaError(err) && err.code === 'CENTINELA_ERR_STATE_CONFLICT') {
        await appendTimeline(this.ctx.db, {
          alarmId,
          at: this.ctx.clock.now(),
          kind: 'late_acknowledgement',
          actor: userId,
          detail: { via },
        });
        return false;
      }
      throw err;
    }
  }
}
