import {
  type CheckInTimer,
  checkInOutcome,
  MAX_MINUTES,
  MIN_MINUTES,
  parseCheckInSms,
  type RunningCheckIn,
} from '../../domain/check-in.ts';
import { CentinelaError, notFound } from '../../domain/errors.ts';
import { type Actor, systemActor } from '../../store/index.ts';
import type { AlertsContext } from '../context.ts';
import type { ActedBy } from '../lifecycle.ts';
import { twiml } from '../notifiers/twiml.ts';
import { DEFAULT_LANGUAGE } from '../templates.ts';
import { runDueCheckIns } from './due-timers.ts';
import { type ReplyKey, reply } from './replies.ts';

const PHONE_ACTOR = systemActor('check-in');

/**
 * Check-in timers (issue 18): set from the console, by a contact's SMS "VIAJE 120 destino";
 * checked in from the console, by SMS "LLEGUE" or by pressing 1 on a call to the centre. What
 * runs out is escalated by src/alerts/check-in/due-timers.ts.
 */
export class CheckIns {
  constructor(private readonly ctx: AlertsContext) {}

  async set(beneficiaryId: string, minutes: number, destination: string | null, by: ActedBy): Promise<CheckInTimer> {
    if (!Number.isInteger(minutes) || minutes < MIN_MINUTES || minutes > MAX_MINUTES)
      throw new CentinelaError('CENTINELA_ERR_VALIDATION', `minutes must be a whole number from ${MIN_MINUTES} to ${MAX_MINUTES}`);
    if (!(await this.ctx.repos.alarms.aliases([beneficiaryId])).has(beneficiaryId)) throw notFound('beneficiary', beneficiaryId);
    const now = this.ctx.clock.now();
    return this.ctx.repos.checkInTimers.start({
      beneficiaryId,
      destination,
      dueAt: now + minutes * 60_000,
      setBy: by.id,
      setVia: by.via,
      now,
    });
  }

  /** Escalates the timers that ran out (the alerts pump calls this on every pass). */
  runDue(): Promise<number> {
    return runDueCheckIns(this.ctx);
  }

  /** A person's timers, newest first; a member of staff's read is audited (P6). */
  async list(beneficiaryId: string, reader?: Actor): Promise<CheckInTimer[]> {
    return this.ctx.repos.checkInTimers.ofBeneficiary(beneficiaryId, 20, reader);
  }

  /** Every running timer of the centre, soonest due first, with the person's alias (audited, P6). */
  running(reader: Actor): Promise<RunningCheckIn[]> {
    return this.ctx.repos.checkInTimers.running(reader);
  }

  /** A check-in from the console: 404 for an unknown timer, 409 for one expired or closed. */
  async checkIn(timerId: string, by: ActedBy): Promise<CheckInTimer> {
    const { checkInTimers } = this.ctx.repos;
    const outcome = await this.tryCheckIn(await checkInTimers.get(timerId), by.id);
    if (outcome === 'unknown') throw notFound('check-in timer', timerId);
    if (outcome !== 'checked_in')
      throw new CentinelaError('CENTINELA_ERR_STATE_CONFLICT', `the timer is ${outcome}: nothing was changed`, { state: outcome });
    return (await checkInTimers.get(timerId)) as CheckInTimer;
  }

  /**
   * An SMS to the centre's number. Undefined when it is no check-in command (the staff's
   * acknowledgement replies are handled next); otherwise the TwiML answer. A check-in for an
   * unknown or expired timer is answered plainly and changes nothing.
   */
  async inboundSms(params: Record<string, string>): Promise<string | undefined> {
    const command = parseCheckInSms(params.Body ?? '');
    if (!command) return undefined;
    const r = new (await twiml()).MessagingResponse();
    const who = await this.whoIs(params.From ?? '');
    const text = (language: string, key: ReplyKey, vars?: Record<string, string | number>) =>
      reply(this.ctx.templates, language, key, vars);
    if (typeof who === 'string') {
      r.message(text(DEFAULT_LANGUAGE, who));
      return r.toString();
    }
    if (command.type === 'invalid') r.message(text(who.language, 'invalid'));
    else if (command.type === 'set') {
      await this.set(who.beneficiaryId, command.minutes, command.destination, { id: who.contactId, via: 'sms' });
      const destination = command.destination ? ` (${command.destination})` : '';
      r.message(text(who.language, 'set', { minutes: command.minutes, destination }));
    } else r.message(text(who.language, await this.phoneCheckIn(who.beneficiaryId, who.contactId)));
    return r.toString();
  }

  /** An inbound call to the centre's number: one key, "1", checks in. */
  async inboundCall(gatherUrl: string, language = DEFAULT_LANGUAGE): Promise<string> {
    const { templates } = this.ctx;
    const r = new (await twiml()).VoiceResponse();
    const voice = { language: templates.voiceLanguage(language) as never };
    const gather = r.gather({ numDigits: 1, timeout: 10, action: gatherUrl, method: 'POST' });
    gather.say(voice, reply(templates, language, 'voiceMenu'));
    r.say(voice, reply(templates, language, 'voiceNoInput'));
    return r.toString();
  }

  async gather(params: Record<string, string>): Promise<string> {
    const r = new (await twiml()).VoiceResponse();
    const who = await this.whoIs(params.From ?? '');
    const language = typeof who === 'string' ? DEFAULT_LANGUAGE : who.language;
    const { templates } = this.ctx;
    const say = (key: ReplyKey) => r.say({ language: templates.voiceLanguage(language) as never }, reply(templates, language, key));
    if (typeof who === 'string') say(who);
    else if (params.Digits !== '1') say('voiceNoInput');
    else say(await this.phoneCheckIn(who.beneficiaryId, who.contactId));
    return r.toString();
  }

  private async phoneCheckIn(beneficiaryId: string, contactId: string): Promise<ReplyKey> {
    const outcome = await this.tryCheckIn(await this.ctx.repos.checkInTimers.newestOf(beneficiaryId), contactId);
    return outcome === 'checked_in' ? 'checkedIn' : outcome === 'expired' ? 'expired' : 'unknown';
  }

  private async tryCheckIn(timer: CheckInTimer | undefined, by: string): Promise<ReturnType<typeof checkInOutcome>> {
    const now = this.ctx.clock.now();
    const outcome = checkInOutcome(timer, now);
    if (outcome !== 'checked_in' || !timer) return outcome;
    // Conditional: the expiry loop may have claimed it a moment ago.
    return (await this.ctx.repos.checkInTimers.checkIn(timer.id, by, now)) ? 'checked_in' : 'expired';
  }

  /** The one person a phone is a trusted contact of; the lookup of personal data is audited (P6). */
  private async whoIs(
    phone: string,
  ): Promise<{ beneficiaryId: string; contactId: string; language: string } | 'unknownPhone' | 'ambiguous'> {
    const contacts = phone ? await this.ctx.repos.checkInTimers.contactsOfPhone(phone) : [];
    const people = new Set(contacts.map((c) => c.beneficiaryId));
    const first = contacts[0];
    if (!first) return 'unknownPhone';
    await this.ctx.repos.audit.record(PHONE_ACTOR, {
      action: 'read',
      recordType: 'contact',
      recordId: first.contactId,
      detail: { via: 'check-in' },
    });
    return people.size > 1 ? 'ambiguous' : first;
  }
}
