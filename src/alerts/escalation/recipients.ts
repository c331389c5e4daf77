import { chooseResponders } from '../../domain/dispatch.ts';
import { isOutsideTarget, type PolicyStep } from '../../domain/escalation.ts';
import { type AlarmForMessages, type NewNotification, systemActor, type Tx } from '../../store/index.ts';
import type { AlertsContext } from '../context.ts';
import { messageVars } from '../message-vars.ts';
import { DEFAULT_LANGUAGE } from '../templates.ts';

export interface TimelineNote {
  kind: string;
  detail: Record<string, unknown>;
}

export interface Pages {
  notifications: NewNotification[];
  notes: TimelineNote[];
}

type Base = Pick<NewNotification, 'alarmId' | 'stepId' | 'target' | 'untilAck'>;
type Addressed = Base & Pick<NewNotification, 'recipientType' | 'recipientId' | 'address' | 'channel'>;

const ACTOR = systemActor('escalation');

/** Turns one firing of a policy step into outbox messages and timeline notes. */
export async function pagesForStep(
  tx: Tx,
  ctx: AlertsContext,
  a: AlarmForMessages,
  step: PolicyStep,
  stepId: string | null,
): Promise<Pages> {
  const pages: Pages = { notifications: [], notes: [] };
  // Test alarms run the whole path but page no contacts or responders.
  if (a.alarm.test && isOutsideTarget(step.target)) {
    pages.notes.push({ kind: 'step_skipped', detail: { target: step.target, reason: 'test alarm: no one outside the centre is paged' } });
    return pages;
  }
  const base: Base = { alarmId: a.alarm.id, stepId, target: step.target, untilAck: step.untilAcknowledged };
  const consoleMessage = { ...base, recipientType: 'console', recipientId: null, address: null, channel: 'console' } as const;
  switch (step.target) {
    case 'operators':
      if (step.channel === 'webhook') {
        if (ctx.webhookConfigured)
          pages.notifications.push(
            staffMessage(ctx, a, { ...base, recipientType: 'webhook', recipientId: null, address: null, channel: 'webhook' }),
          );
      } else if (step.channel === 'console') pages.notifications.push(staffMessage(ctx, a, consoleMessage));
      else await staffPhones(tx, ctx, a, 'operator', step, base, pages);
      return pages;
    case 'supervisor':
      await staffPhones(tx, ctx, a, 'supervisor', step, base, pages);
      return pages;
    case 'contacts':
      await contactPages(tx, ctx, a, step, base, pages);
      return pages;
    case 'responder':
      await responderPages(tx, ctx, a, step, base, pages);
      return pages;
  }
}

function staffMessage(ctx: AlertsContext, a: AlarmForMessages, n: Addressed, template = 'staff', extra: Record<string, string> = {}) {
  const language = DEFAULT_LANGUAGE;
  const vars = { ...messageVars(ctx.templates, language, a), ...extra };
  const key = n.channel === 'voice' ? 'voice' : template;
  return { ...n, language, template: key, body: ctx.templates.render(language, key, vars) };
}

function personMessage(ctx: AlertsContext, a: AlarmForMessages, n: Addressed, wish: string, template: string): NewNotification {
  const language = ctx.templates.resolve(wish);
  const key = n.channel === 'voice' ? 'voice' : template;
  return { ...n, language, template: key, body: ctx.templates.render(language, key, messageVars(ctx.templates, language, a)) };
}

async function staffPhones(
  tx: Tx,
  ctx: AlertsContext,
  a: AlarmForMessages,
  role: 'operator' | 'supervisor',
  step: PolicyStep,
  base: Base,
  pages: Pages,
  template = 'staff',
  extra: Record<string, string> = {},
): Promise<void> {
  const channel = step.channel === 'voice' ? 'voice' : 'sms';
  const staff = await ctx.repos.recipients.staffPhones(tx, role);
  // The console always shows it too: a supervisor without a phone is still paged somewhere.
  pages.notifications.push(
    staffMessage(ctx, a, { ...base, recipientType: 'console', recipientId: null, address: null, channel: 'console' }, template, extra),
  );
  if (staff.length === 0) pages.notes.push({ kind: 'no_recipient', detail: { target: step.target, reason: `no ${role} with a phone` } });
  for (const u of staff)
    pages.notifications.push(
      staffMessage(ctx, a, { ...base, recipientType: 'user', recipientId: u.userId, address: u.phone, channel }, template, extra),
    );
}

async function contactPages(tx: Tx, ctx: AlertsContext, a: AlarmForMessages, step: PolicyStep, base: Base, pages: Pages) {
  const beneficiaryId = a.alarm.beneficiaryId;
  if (!beneficiaryId) return;
  const { items: contacts, bad } = await ctx.repos.recipients.contactsOf(tx, beneficiaryId);
  // P6: the engine's read of personal data is audited like anyone's.
  await ctx.repos.audit.append(tx, ACTOR, {
    action: 'list',
    recordType: 'contact',
    recordId: `beneficiary:${beneficiaryId}`,
    detail: { purpose: `alarm ${a.alarm.id}`, count: contacts.length + bad.length },
  });
  // An unreadable contact is shown to the operator; the others are still paged.
  for (const err of bad)
    pages.notes.push({ kind: 'no_recipient', detail: { target: 'contacts', reason: 'unreadable contact', contactId: err.details?.id } });
  if (contacts.length === 0 && bad.length === 0)
    pages.notes.push({ kind: 'no_recipient', detail: { target: 'contacts', reason: 'the beneficiary has no contacts' } });
  for (const c of contacts) {
    const channel = (c.channels as string[]).includes(step.channel)
      ? (step.channel as 'sms' | 'voice')
      : c.channels[0] === 'voice'
        ? 'voice'
        : 'sms';
    pages.notifications.push(
      personMessage(ctx, a, { ...base, recipientType: 'contact', recipientId: c.id, address: c.phone, channel }, c.language, 'contact'),
    );
  }
}

async function responderPages(tx: Tx, ctx: AlertsContext, a: AlarmForMessages, step: PolicyStep, base: Base, pages: Pages) {
  const where = { stateCode: a.subject?.stateCode ?? a.deviceStateCode ?? '', municipality: a.subject?.municipality ?? null };
  const { items: candidates, bad } = await ctx.repos.recipients.respondersIn(tx, where.stateCode);
  for (const err of bad)
    pages.notes.push({ kind: 'responder_skipped', detail: { responderId: err.details?.id, reason: 'unreadable row' } });
  // No safe responder: the supervisor is paged instead, told how many were left out.
  const supervisorInstead = async (detail: Record<string, unknown>, skipped: number) => {
    pages.notes.push({ kind: 'no_safe_responder', detail });
    const supervisorStep: PolicyStep = { ...step, target: 'supervisor', channel: 'sms' };
    await staffPhones(tx, ctx, a, 'supervisor', supervisorStep, { ...base, untilAck: false }, pages, 'noSafeResponder', {
      skipped: String(skipped),
    });
  };
  const aggressors = a.subject?.aggressors ?? [];
  // P4: without a readable list of presumed aggressors no responder is known to be safe.
  if (aggressors === 'unreadable')
    return supervisorInstead({ reason: 'presumed aggressors unreadable', candidates: candidates.length }, candidates.length);
  const { safe, skipped } = chooseResponders(candidates, where, aggressors);
  // P4: each skip and its reason go on the timeline and to the operator.
  for (const s of skipped) pages.notes.push({ kind: 'responder_skipped', detail: { responderId: s.responderId, reason: s.reason } });
  const chosen = safe[0];
  if (!chosen) return supervisorInstead({ skipped: skipped.length, candidates: candidates.length }, skipped.length);
  const channel = step.channel === 'voice' ? 'voice' : 'sms';
  pages.notes.push({ kind: 'responder_chosen', detail: { responderId: chosen.id, kind: chosen.kind } });
  pages.notifications.push(
    personMessage(
      ctx,
      a,
      { ...base, untilAck: false, recipientType: 'responder', recipientId: chosen.id, address: chosen.phone, channel },
      chosen.language,
      'responder',
    ),
  );
}
