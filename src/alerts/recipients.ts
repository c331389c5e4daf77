import type { Transaction } from 'kysely';
import { chooseResponders } from '../domain/dispatch.ts';
import { isOutsideTarget, type PolicyStep } from '../domain/escalation.ts';
import type { Aggressor } from '../domain/registry.ts';
import { systemActor } from '../store/index.ts';
import { parseJson } from '../store/rows.ts';
import type { Database } from '../store/schema.ts';
import type { AlertsContext } from './context.ts';
import { type AlarmForMessages, messageVars } from './message-vars.ts';
import type { NewNotification } from './outbox.ts';
import { DEFAULT_LANGUAGE } from './templates.ts';

export interface TimelineNote {
  kind: string;
  detail: Record<string, unknown>;
}

export interface Pages {
  notifications: NewNotification[];
  notes: TimelineNote[];
}

const ACTOR = systemActor('escalation');

/** Turns one firing of a policy step into outbox rows and timeline notes. */
export async function pagesForStep(
  trx: Transaction<Database>,
  ctx: AlertsContext,
  a: AlarmForMessages,
  step: PolicyStep,
  stepId: string | null,
): Promise<Pages> {
  const pages: Pages = { notifications: [], notes: [] };
  // docs/architecture.md: test alarms run the whole path but page no contacts or responders.
  if (a.alarm.test === 1 && isOutsideTarget(step.target)) {
    pages.notes.push({ kind: 'step_skipped', detail: { target: step.target, reason: 'test alarm: no one outside the centre is paged' } });
    return pages;
  }
  const base = { alarmId: a.alarm.id, stepId, target: step.target, untilAck: step.untilAcknowledged };
  switch (step.target) {
    case 'operators':
      if (step.channel === 'webhook') {
        if (ctx.webhookConfigured)
          pages.notifications.push(
            staffMessage(ctx, a, { ...base, recipientType: 'webhook', recipientId: null, address: null, channel: 'webhook' }),
          );
        return pages;
      }
      if (step.channel === 'console') {
        pages.notifications.push(
          staffMessage(ctx, a, { ...base, recipientType: 'console', recipientId: null, address: null, channel: 'console' }),
        );
        return pages;
      }
      return staffPhones(trx, ctx, a, 'operator', step, base, pages);
    case 'supervisor':
      return staffPhones(trx, ctx, a, 'supervisor', step, base, pages);
    case 'contacts':
      return contactPages(trx, ctx, a, step, base, pages);
    case 'responder':
      return responderPages(trx, ctx, a, step, base, pages);
  }
}

type Base = Pick<NewNotification, 'alarmId' | 'stepId' | 'target' | 'untilAck'>;

function staffMessage(
  ctx: AlertsContext,
  a: AlarmForMessages,
  n: Base & Pick<NewNotification, 'recipientType' | 'recipientId' | 'address' | 'channel'>,
  template = 'staff',
  extra: Record<string, string> = {},
): NewNotification {
  const language = DEFAULT_LANGUAGE;
  const vars = { ...messageVars(ctx.templates, language, a), ...extra };
  const key = n.channel === 'voice' ? 'voice' : template;
  return { ...n, language, template: key, body: ctx.templates.render(language, key, vars) };
}

async function staffPhones(
  trx: Transaction<Database>,
  ctx: AlertsContext,
  a: AlarmForMessages,
  role: 'operator' | 'supervisor',
  step: PolicyStep,
  base: Base,
  pages: Pages,
  template = 'staff',
  extra: Record<string, string> = {},
): Promise<Pages> {
  const channel = step.channel === 'voice' ? 'voice' : 'sms';
  const users = await trx
    .selectFrom('users')
    .select(['id', 'phone'])
    .where('role', '=', role)
    .where('disabled_at', 'is', null)
    .where('phone', 'is not', null)
    .orderBy('id')
    .execute();
  // The console always shows it too: a supervisor without a phone is still paged somewhere.
  pages.notifications.push(
    staffMessage(ctx, a, { ...base, recipientType: 'console', recipientId: null, address: null, channel: 'console' }, template, extra),
  );
  if (users.length === 0) pages.notes.push({ kind: 'no_recipient', detail: { target: step.target, reason: `no ${role} with a phone` } });
  for (const u of users) {
    pages.notifications.push(
      staffMessage(ctx, a, { ...base, recipientType: 'user', recipientId: u.id, address: u.phone, channel }, template, extra),
    );
  }
  return pages;
}

async function contactPages(
  trx: Transaction<Database>,
  ctx: AlertsContext,
  a: AlarmForMessages,
  step: PolicyStep,
  base: Base,
  pages: Pages,
) {
  if (!a.alarm.beneficiary_id) return pages;
  const contacts = await trx
    .selectFrom('contacts')
    .selectAll()
    .where('beneficiary_id', '=', a.alarm.beneficiary_id)
    .orderBy('priority')
    .orderBy('id')
    .execute();
  // P6: the engine's read of personal data is audited like anyone's.
  await ctx.repos.audit.append(trx, ACTOR, {
    action: 'list',
    recordType: 'contact',
    recordId: `beneficiary:${a.alarm.beneficiary_id}`,
    detail: { purpose: `alarm ${a.alarm.id}`, count: contacts.length },
  });
  if (contacts.length === 0)
    pages.notes.push({ kind: 'no_recipient', detail: { target: 'contacts', reason: 'the beneficiary has no contacts' } });
  for (const c of contacts) {
    const channels = parseJson<string[]>(c.channels);
    const channel = channels.includes(step.channel) ? step.channel : channels[0] === 'voice' ? 'voice' : 'sms';
    const language = ctx.templates.resolve(c.language);
    const key = channel === 'voice' ? 'voice' : 'contact';
    pages.notifications.push({
      ...base,
      recipientType: 'contact',
      recipientId: c.id,
      address: c.phone,
      channel,
      language,
      template: key,
      body: ctx.templates.render(language, key, messageVars(ctx.templates, language, a)),
    });
  }
  return pages;
}

async function responderPages(
  trx: Transaction<Database>,
  ctx: AlertsContext,
  a: AlarmForMessages,
  step: PolicyStep,
  base: Base,
  pages: Pages,
) {
  const ben = a.beneficiary;
  const where = { stateCode: ben?.state_code ?? a.deviceStateCode ?? '', municipality: ben?.municipality ?? null };
  const aggressors = ben ? parseJson<Aggressor[]>(ben.presumed_aggressors) : [];
  const rows = await trx.selectFrom('responders').selectAll().where('state_code', '=', where.stateCode).execute();
  const { safe, skipped } = chooseResponders(
    rows.map((r) => ({ ...r, stateCode: r.state_code, escalationOrder: r.escalation_order, kind: r.kind as never })),
    where,
    aggressors,
  );
  // P4: each skip and its reason go on the timeline and to the operator.
  for (const s of skipped) pages.notes.push({ kind: 'responder_skipped', detail: { responderId: s.responderId, reason: s.reason } });
  const chosen = safe[0];
  if (!chosen) {
    pages.notes.push({ kind: 'no_safe_responder', detail: { skipped: skipped.length, candidates: rows.length } });
    const supervisorStep: PolicyStep = { ...step, target: 'supervisor', channel: 'sms' };
    return staffPhones(trx, ctx, a, 'supervisor', supervisorStep, { ...base, untilAck: false }, pages, 'noSafeResponder', {
      skipped: String(skipped.length),
    });
  }
  const language = ctx.templates.resolve(chosen.language);
  const channel = step.channel === 'voice' ? 'voice' : 'sms';
  const key = channel === 'voice' ? 'voice' : 'responder';
  pages.notes.push({ kind: 'responder_chosen', detail: { responderId: chosen.id, kind: chosen.kind } });
  pages.notifications.push({
    ...base,
    untilAck: false,
    recipientType: 'responder',
    recipientId: chosen.id,
    address: chosen.phone,
    channel,
    language,
    template: key,
    body: ctx.templates.render(language, key, messageVars(ctx.templates, language, a)),
  });
  return pages;
}
