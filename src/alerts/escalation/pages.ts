import { chooseResponders } from '../../domain/dispatch.ts';
import { isOutsideTarget, type PolicyStep } from '../../domain/escalation.ts';
import type {
  AlarmForMessages,
  AuditEntry,
  Checked,
  ContactToPage,
  NewNotification,
  ResponderToPage,
  StaffPhone,
} from '../../store/index.ts';
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
  /** Set when the step read the person's contacts: P6, the caller audits the read in the step's transaction. */
  contactsRead?: AuditEntry;
}

/**
 * Who a step can page, already read: the portable path reads what the step needs in the step's
 * transaction (recipients.ts); on SQLite the alarm's opening reads them from memory
 * (src/store/repositories/registry-cache-sqlite.ts). Answers synchronously, so the same
 * decisions serve both.
 */
export interface RecipientLists {
  staffPhones(role: 'operator' | 'supervisor'): StaffPhone[];
  contactsOf(beneficiaryId: string): Checked<ContactToPage>;
  respondersIn(stateCode: string): Checked<ResponderToPage>;
}

type PageContext = Pick<AlertsContext, 'templates' | 'webhookConfigured'>;
type Base = Pick<NewNotification, 'alarmId' | 'stepId' | 'target' | 'untilAck'>;
type Addressed = Base & Pick<NewNotification, 'recipientType' | 'recipientId' | 'address' | 'channel'>;

/** Whether a step pages no one outside the centre because the alarm is a test. */
export const skippedAsTest = (a: AlarmForMessages, step: PolicyStep): boolean => a.alarm.test && isOutsideTarget(step.target);

/** Turns one firing of a policy step into outbox messages and timeline notes. */
export function buildPages(ctx: PageContext, a: AlarmForMessages, step: PolicyStep, stepId: string | null, who: RecipientLists): Pages {
  const pages: Pages = { notifications: [], notes: [] };
  // Test alarms run the whole path but page no contacts or responders.
  if (skippedAsTest(a, step)) {
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
      else staffPhones(ctx, a, who, 'operator', step, base, pages);
      return pages;
    case 'supervisor':
      staffPhones(ctx, a, who, 'supervisor', step, base, pages);
      return pages;
    case 'contacts':
      contactPages(ctx, a, who, step, base, pages);
      return pages;
    case 'responder':
      responderPages(ctx, a, who, step, base, pages);
      return pages;
  }
}

function staffMessage(ctx: PageContext, a: AlarmForMessages, n: Addressed, template = 'staff', extra: Record<string, string> = {}) {
  const language = DEFAULT_LANGUAGE;
  const vars = { ...messageVars(ctx.templates, language, a), ...extra };
  const key = n.channel === 'voice' ? 'voice' : template;
  return { ...n, language, template: key, body: ctx.templates.render(language, key, vars) };
}

function personMessage(ctx: PageContext, a: AlarmForMessages, n: Addressed, wish: string, template: string): NewNotification {
  const language = ctx.templates.resolve(wish);
  const key = n.channel === 'voice' ? 'voice' : template;
  return { ...n, language, template: key, body: ctx.templates.render(language, key, messageVars(ctx.templates, language, a)) };
}

function staffPhones(
  ctx: PageContext,
  a: AlarmForMessages,
  who: RecipientLists,
  role: 'operator' | 'supervisor',
  step: PolicyStep,
  base: Base,
  pages: Pages,
  template = 'staff',
  extra: Record<string, string> = {},
): void {
  const channel = step.channel === 'voice' ? 'voice' : 'sms';
  const staff = who.staffPhones(role);
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

function contactPages(ctx: PageContext, a: AlarmForMessages, who: RecipientLists, step: PolicyStep, base: Base, pages: Pages) {
  const beneficiaryId = a.alarm.beneficiaryId;
  if (!beneficiaryId) return;
  const { items: contacts, bad } = who.contactsOf(beneficiaryId);
  // P6: the engine's read of personal data is audited like anyone's.
  pages.contactsRead = {
    action: 'list',
    recordType: 'contact',
    recordId: `beneficiary:${beneficiaryId}`,
    detail: { purpose: `alarm ${a.alarm.id}`, count: contacts.length + bad.length },
  };
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

/** The jurisdiction a responder step pages in. */
export const responderState = (a: AlarmForMessages): string => a.subject?.stateCode ?? a.deviceStateCode ?? '';

function responderPages(ctx: PageContext, a: AlarmForMessages, who: RecipientLists, step: PolicyStep, base: Base, pages: Pages) {
  const where = { stateCode: responderState(a), municipality: a.subject?.municipality ?? null };
  const { items: candidates, bad } = who.respondersIn(where.stateCode);
  for (const err of bad)
    pages.notes.push({ kind: 'responder_skipped', detail: { responderId: err.details?.id, reason: 'unreadable row' } });
  // No safe responder: the supervisor is paged instead, told how many were left out.
  const supervisorInstead = (detail: Record<string, unknown>, skipped: number) => {
    pages.notes.push({ kind: 'no_safe_responder', detail });
    const supervisorStep: PolicyStep = { ...step, target: 'supervisor', channel: 'sms' };
    staffPhones(ctx, a, who, 'supervisor', supervisorStep, { ...base, untilAck: false }, pages, 'noSafeResponder', {
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
