import twilio from 'twilio';
import { isCentinelaError } from '../../domain/errors.ts';
import type { AlertsContext } from '../context.ts';
import { applyTransition } from '../lifecycle.ts';
import { fallBackToVoice } from '../outbox/fallback.ts';
import { codesIn, replyCode } from '../reply-code.ts';
import { DEFAULT_LANGUAGE } from '../templates.ts';

const TERMINAL = ['delivered', 'undelivered', 'failed', 'answered', 'cancelled'];

/** What Twilio tells us, once its signature has been checked by the route (issue 4). */
export class TwilioInbound {
  constructor(
    private readonly ctx: AlertsContext,
    private readonly publicUrl: string,
  ) {}

  private notify(alarmId: string, notificationId: string, channel: string, status: string, at: number): void {
    this.ctx.events.emit('notification.changed', { alarmId, notificationId, channel, status, at });
  }

  /** SMS status callback: reached only when *delivered*; failed/undelivered falls back to voice. */
  async smsStatus(params: Record<string, string>): Promise<void> {
    const { outbox, alarms } = this.ctx.repos;
    const sid = params.MessageSid ?? params.SmsSid;
    const status = params.MessageStatus ?? params.SmsStatus;
    if (!sid || !status) return;
    const n = await outbox.byProviderId(sid);
    if (!n || TERMINAL.includes(n.status)) return;
    const now = this.ctx.clock.now();
    const mapped = status === 'delivered' ? 'delivered' : status === 'failed' || status === 'undelivered' ? status : 'sent';
    await outbox.setStatus(
      n.id,
      {
        status: mapped,
        ...(mapped === 'delivered' ? { reachedAt: now } : {}),
        ...(params.ErrorCode ? { lastError: `twilio error ${params.ErrorCode}` } : {}),
      },
      now,
    );
    await alarms.appendTimeline({
      alarmId: n.alarmId,
      at: now,
      kind: 'provider_status',
      actor: 'twilio',
      detail: { notificationId: n.id, providerId: sid, status, ...(params.ErrorCode ? { errorCode: params.ErrorCode } : {}) },
    });
    this.notify(n.alarmId, n.id, n.channel, mapped, now);
    if (mapped === 'failed' || mapped === 'undelivered') await fallBackToVoice(this.ctx, n.id, `sms ${mapped}`);
  }

  /**
   * Call status callback. A finished call without a keypress reached no one: it is recorded as
   * such, never as delivered.
   */
  async voiceStatus(notificationId: string, params: Record<string, string>): Promise<void> {
    const { outbox, alarms } = this.ctx.repos;
    const callStatus = params.CallStatus;
    if (!callStatus) return;
    const n = await outbox.get(notificationId);
    if (n?.channel !== 'voice') return;
    const now = this.ctx.clock.now();
    const final = ['completed', 'busy', 'no-answer', 'failed', 'canceled'].includes(callStatus);
    if (final && n.status !== 'answered') {
      const status = callStatus === 'completed' ? 'unanswered' : callStatus;
      await outbox.setStatus(n.id, { status }, now);
      this.notify(n.alarmId, n.id, 'voice', status, now);
    }
    await alarms.appendTimeline({
      alarmId: n.alarmId,
      at: now,
      kind: 'provider_status',
      actor: 'twilio',
      detail: { notificationId: n.id, providerId: params.CallSid ?? null, status: callStatus },
    });
  }

  /** The TwiML of a call: speak the alarm, gather one key; "1" acknowledges. */
  async voiceTwiml(notificationId: string): Promise<string> {
    const n = await this.ctx.repos.outbox.get(notificationId);
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

  /**
   * A keypress: the call reached someone; from staff, "1" is the acknowledgement. Issue 15: the
   * keypress counts only from the very call placed for this message (Twilio's CallSid), once,
   * and only while the alarm is not closed.
   */
  async gather(notificationId: string, params: Record<string, string>): Promise<string> {
    const { outbox, alarms } = this.ctx.repos;
    const r = new twilio.twiml.VoiceResponse();
    const n = await outbox.get(notificationId);
    if (!n) {
      r.hangup();
      return r.toString();
    }
    const language = this.ctx.templates.voiceLanguage(n.language) as never;
    const digits = params.Digits;
    if (n.channel !== 'voice' || !params.CallSid || params.CallSid !== n.providerId || n.status === 'answered') {
      this.ctx.logger.warn(
        { notificationId: n.id, reason: n.status === 'answered' ? 'already answered' : 'not the call placed' },
        'keypress refused',
      );
      r.hangup();
      return r.toString();
    }
    if (digits !== '1') {
      r.say({ language }, this.ctx.templates.render(n.language, 'voiceNoInput', {}));
      return r.toString();
    }
    const now = this.ctx.clock.now();
    await outbox.setStatus(n.id, { status: 'answered', reachedAt: now }, now);
    await alarms.appendTimeline({
      alarmId: n.alarmId,
      at: now,
      kind: 'call_answered',
      actor: 'twilio',
      detail: { notificationId: n.id, digits },
    });
    this.notify(n.alarmId, n.id, 'voice', 'answered', now);
    // Only a centre operator or supervisor takes charge by keypress; a contact's keypress confirms receipt.
    if (n.recipientType === 'user' && n.recipientId) await this.acknowledge(n.alarmId, n.recipientId, 'voice');
    r.say({ language }, this.ctx.templates.render(n.language, 'voiceAcknowledged', {}));
    return r.toString();
  }

  /**
   * An SMS reply quoting an alarm's code, from an operator's or supervisor's phone that was paged
   * by SMS for that alarm, acknowledges it (issue 15). Each provider message id counts once; any
   * other reply is answered with an explanation and changes nothing.
   */
  async inboundSms(params: Record<string, string>): Promise<string> {
    const { users, inboundReplies, outbox } = this.ctx.repos;
    const r = new twilio.twiml.MessagingResponse();
    const say = (key: string, vars: Record<string, string> = {}) => {
      r.message(this.ctx.templates.render(DEFAULT_LANGUAGE, key, vars));
      return r.toString();
    };
    const from = params.From ?? '';
    const messageId = params.MessageSid ?? params.SmsSid ?? '';
    if (!messageId || !(await inboundReplies.claim(messageId, 'sms', this.ctx.clock.now()))) {
      this.ctx.logger.warn({ reason: messageId ? 'repeated message id' : 'no message id' }, 'sms reply refused');
      return say('smsReplyRepeated');
    }
    const refuse = async (outcome: string, key: string, vars: Record<string, string> = {}, alarmId: string | null = null) => {
      this.ctx.logger.warn({ reason: outcome }, 'sms reply refused');
      await inboundReplies.settle(messageId, outcome, alarmId);
      return say(key, vars);
    };
    const user = from ? await users.findByPhone(from) : undefined;
    if (!user || (user.role !== 'operator' && user.role !== 'supervisor'))
      return refuse(user ? 'role may not acknowledge' : 'unknown phone', 'smsUnknownPhone');
    const codes = codesIn(params.Body ?? '');
    if (codes.length === 0) return refuse('no code', 'smsReplyNeedsCode', { example: 'KX7C' });
    const paged = await outbox.alarmsPagedBySms(user.id, from);
    const match = paged.find((a) => codes.includes(replyCode(a.alarmId)));
    if (!match) return refuse('code of no alarm paged to this phone', 'smsReplyUnknownCode', { code: codes[0] as string });
    if (match.state === 'resolved') return refuse('alarm closed', 'smsReplyClosed', { ref: match.alarmId }, match.alarmId);
    const won = await this.acknowledge(match.alarmId, user.id, 'sms');
    await inboundReplies.settle(messageId, won ? 'acknowledged' : 'late', match.alarmId);
    return say(won ? 'smsAcknowledged' : 'smsAlreadyAcknowledged', { ref: match.alarmId });
  }

  private async acknowledge(alarmId: string, userId: string, via: 'sms' | 'voice'): Promise<boolean> {
    try {
      await applyTransition(this.ctx, alarmId, { type: 'acknowledge' }, { id: userId, via });
      return true;
    } catch (err) {
      // Someone else acknowledged first: first acknowledgement wins, this one is noted only.
      if (isCentinelaError(err) && err.code === 'CENTINELA_ERR_STATE_CONFLICT') {
        await this.ctx.repos.alarms.appendTimeline({
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
