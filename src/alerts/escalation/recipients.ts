import type { PolicyStep } from '../../domain/escalation.ts';
import { type AlarmForMessages, type Checked, type ContactToPage, systemActor, type Tx } from '../../store/index.ts';
import type { AlertsContext } from '../context.ts';
import { buildPages, type Pages, type RecipientLists, responderState, skippedAsTest } from './pages.ts';

export type { Pages, TimelineNote } from './pages.ts';

export const ESCALATION_AUDIT_ACTOR = systemActor('escalation');

/**
 * Turns one firing of a policy step into outbox messages and timeline notes, reading who it
 * pages in the step's transaction (and auditing a read of contacts there, P6).
 */
export async function pagesForStep(
  tx: Tx,
  ctx: AlertsContext,
  a: AlarmForMessages,
  step: PolicyStep,
  stepId: string | null,
): Promise<Pages> {
  const pages = buildPages(ctx, a, step, stepId, await readRecipients(tx, ctx, a, step));
  if (pages.contactsRead) await ctx.repos.audit.append(tx, ESCALATION_AUDIT_ACTOR, pages.contactsRead);
  return pages;
}

/** Reads, in `tx`, the lists `buildPages` consults for this step, and only those. */
async function readRecipients(tx: Tx, ctx: AlertsContext, a: AlarmForMessages, step: PolicyStep): Promise<RecipientLists> {
  const { recipients } = ctx.repos;
  const staff = new Map<string, Awaited<ReturnType<typeof recipients.staffPhones>>>();
  let contacts: Checked<ContactToPage> | undefined;
  let responders: Awaited<ReturnType<typeof recipients.respondersIn>> | undefined;
  if (!skippedAsTest(a, step)) {
    const needsStaff =
      step.target === 'supervisor' || step.target === 'responder'
        ? 'supervisor'
        : step.target === 'operators' && step.channel !== 'console' && step.channel !== 'webhook'
          ? 'operator'
          : undefined;
    if (step.target === 'contacts' && a.alarm.beneficiaryId) contacts = await recipients.contactsOf(tx, a.alarm.beneficiaryId);
    if (step.target === 'responder') responders = await recipients.respondersIn(tx, responderState(a));
    // A responder step pages the supervisor when no responder is safe: read with it.
    if (needsStaff) staff.set(needsStaff, await recipients.staffPhones(tx, needsStaff));
  }
  const missing = (what: string): never => {
    throw new Error(`bug: ${what} not read for a ${step.target} step`);
  };
  return {
    staffPhones: (role) => staff.get(role) ?? missing(`${role} phones`),
    contactsOf: () => contacts ?? missing('contacts'),
    respondersIn: () => responders ?? missing('responders'),
  };
}
