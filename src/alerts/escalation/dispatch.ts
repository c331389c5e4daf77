import type { PolicyStep } from '../../domain/escalation.ts';
import type { Tx } from '../../store/index.ts';
import { type AlertsContext, ENGINE_ACTOR } from '../context.ts';
import type { Pages } from './recipients.ts';
import { pagesForStep } from './recipients.ts';
import { fireStep, publishNotes, queuePages } from './step-runner.ts';

/**
 * What "Despachar" did (issue 14 §6): the responders paged now, or plainly that nobody was and
 * why — so the console never says the authority is being told when no one is.
 */
export interface DispatchOutcome {
  /** Responders paged by this dispatch (never a presumed aggressor, P4). */
  paged: { responderId: string; channel: string }[];
  /** Why nobody was paged; null when someone was. */
  reason: DispatchReason | null;
}

export type DispatchReason =
  | 'responder_paged_earlier'
  | 'test_alarm'
  | 'no_responder_in_jurisdiction'
  | 'all_responders_presumed_aggressors'
  | 'aggressors_unreadable';

/** The responder step used when the alarm's policy has none (motion, device_offline, a centre's own). */
const DISPATCH_STEP: PolicyStep = { afterS: 0, target: 'responder', channel: 'sms', untilAcknowledged: false, onDispatch: true };

/**
 * Pages the jurisdiction's responder on dispatch, in the transition's transaction. The policy's
 * own responder step fires if it has not yet; a policy without one still pages the responder of
 * the jurisdiction (any kind of alarm may need help sent). Says who was paged, or why nobody.
 */
export async function dispatchResponder(tx: Tx, ctx: AlertsContext, alarmId: string, now: number): Promise<DispatchOutcome> {
  const { items } = await ctx.repos.escalationSteps.ofAlarm(tx, alarmId);
  const responderSteps = items.filter((s) => s.step.target === 'responder');
  // Dispatching means help now: a responder step not fired yet fires now, whatever its delay.
  const unfired = responderSteps.filter((s) => s.firedCount === 0);
  let outcome: DispatchOutcome;
  if (unfired.length > 0) {
    const pages: Pages[] = [];
    for (const step of unfired) {
      const p = await fireStep(tx, ctx, step, now, true);
      if (p) pages.push(p);
    }
    outcome = outcomeOf(pages);
  } else {
    const a = await ctx.repos.alarms.forMessages(alarmId, tx);
    if (!a) return { paged: [], reason: 'no_responder_in_jurisdiction' };
    const p = await pagesForStep(tx, ctx, a, DISPATCH_STEP, null);
    if (responderSteps.some((s) => s.firedCount > 0)) {
      // Fired earlier (60 s unacknowledged): nobody is paged twice. The same choice, made again
      // without sending, says whether a responder was paged then or why none could be.
      const then = outcomeOf([p]);
      outcome = then.paged.length > 0 ? { paged: [], reason: 'responder_paged_earlier' } : then;
    } else {
      await queuePages(tx, ctx, alarmId, p, now);
      publishNotes(ctx, alarmId, p);
      outcome = outcomeOf([p]);
    }
  }
  if (outcome.reason && outcome.reason !== 'responder_paged_earlier') {
    // The record says it too: a dispatch that paged nobody is on the timeline with its reason.
    await ctx.repos.alarms.appendTimeline(
      { alarmId, at: now, kind: 'dispatch_paged_nobody', actor: ENGINE_ACTOR, detail: { reason: outcome.reason } },
      tx,
    );
  }
  return outcome;
}

function outcomeOf(pages: Pages[]): DispatchOutcome {
  const paged = pages.flatMap((p) =>
    p.notifications
      .filter((n) => n.recipientType === 'responder' && n.recipientId)
      .map((n) => ({ responderId: String(n.recipientId), channel: n.channel })),
  );
  if (paged.length > 0) return { paged, reason: null };
  const notes = pages.flatMap((p) => p.notes);
  if (notes.some((n) => n.kind === 'step_skipped')) return { paged, reason: 'test_alarm' };
  const none = notes.find((n) => n.kind === 'no_safe_responder');
  if (none?.detail.reason === 'presumed aggressors unreadable') return { paged, reason: 'aggressors_unreadable' };
  if (none && Number(none.detail.skipped ?? 0) > 0) return { paged, reason: 'all_responders_presumed_aggressors' };
  return { paged, reason: 'no_responder_in_jurisdiction' };
}
