import { type LifecycleInput, transition } from '../domain/alarm-lifecycle.ts';
import { deviceAckState } from '../domain/duress.ts';
import { CentinelaError, notFound } from '../domain/errors.ts';
import type { Alarm, AlarmChange } from '../store/index.ts';
import type { AlertsContext } from './context.ts';
import { type DispatchOutcome, dispatchResponder } from './escalation/dispatch.ts';

/** Who acted, and through which channel (the console/API, a keypress, an SMS reply). */
export interface ActedBy {
  id: string;
  via: 'api' | 'voice' | 'sms' | 'system';
}

const stateConflict = (message: string, state: string) => new CentinelaError('CENTINELA_ERR_STATE_CONFLICT', message, { state });

/** What a transition writes on the alarm, besides its new state. */
function changeFor(input: LifecycleInput, alsoAcknowledged: boolean, by: ActedBy, now: number, note?: string): AlarmChange {
  const change: AlarmChange = {};
  if (alsoAcknowledged || input.type === 'acknowledge') Object.assign(change, { acknowledgedAt: now, acknowledgedBy: by.id });
  if (input.type === 'dispatch') Object.assign(change, { dispatchedAt: now, dispatchedBy: by.id });
  if (input.type === 'on_scene') Object.assign(change, { onSceneAt: now, onSceneBy: by.id });
  if (input.type === 'resolve')
    Object.assign(change, { resolvedAt: now, resolvedBy: by.id, outcome: input.outcome, resolutionNote: note ?? null });
  return change;
}

/**
 * Applies one lifecycle transition. The change is written only if the alarm is still in the
 * state read, so of two operators acknowledging at once exactly one wins and the other gets 409
 * (first acknowledgement wins).
 */
export async function applyTransition(
  ctx: AlertsContext,
  alarmId: string,
  input: LifecycleInput,
  by: ActedBy,
  note?: string,
): Promise<Alarm & { dispatch?: DispatchOutcome }> {
  const { alarms, escalationSteps, outbox, caseReviews } = ctx.repos;
  const now = ctx.clock.now();
  const result = await alarms.transaction(async (tx) => {
    const alarm = await alarms.get(alarmId, tx);
    if (!alarm) throw notFound('alarm', alarmId);
    const from = alarm.state;
    const t = transition(from, input, { test: alarm.test });
    if (!t.ok) throw stateConflict(t.reason, from);
    if (input.type === 'resolve') await ctx.actionPlans?.assertClosed(tx, alarm, by);
    const change: AlarmChange = { state: t.to, ...changeFor(input, t.alsoAcknowledged === true, by, now, note) };
    if (!(await alarms.changeIfIn(tx, alarmId, from, change, now)))
      throw stateConflict(`the alarm changed meanwhile (it was ${from})`, from);

    let dispatch: DispatchOutcome | undefined;
    const timeline = (kind: string, detail: Record<string, unknown>) =>
      alarms.appendTimeline({ alarmId, at: now, kind, actor: by.id, detail }, tx);
    await timeline(t.to, { from, via: by.via, ...(input.type === 'resolve' ? { outcome: input.outcome } : {}), ...(note ? { note } : {}) });
    for (const effect of t.effects) {
      if (effect.type === 'stop_paging') {
        const resolving = input.type === 'resolve';
        const cancelled = await outbox.cancel(tx, alarmId, now, resolving);
        // Steps that say so keep running after an acknowledgement; a resolution stops them all.
        await escalationSteps.stopFor(tx, alarmId, now, resolving ? 'resolved' : 'acknowledged');
        await timeline('paging_stopped', { cancelled });
      }
      // The responder is paged when an operator dispatches, if not already paged; any kind.
      if (effect.type === 'page_responder') dispatch = await dispatchResponder(tx, ctx, alarmId, now);
      if (effect.type === 'open_case_review') {
        // P5: an attack under protection reopens the case, without waiting for the scheduled review.
        const caseReviewId = await caseReviews.open(tx, alarm, now);
        await alarms.appendTimeline(
          { alarmId, at: now, kind: 'case_review_opened', actor: 'system:escalation', detail: { caseReviewId } },
          tx,
        );
      }
    }
    return { alarm: { ...alarm, ...change } as Alarm, from, to: t.to, effects: t.effects, dispatch };
  });
  const { alarm, from, to, dispatch } = result;
  ctx.events.emit('alarm.changed', {
    alarmId,
    deviceId: alarm.deviceId,
    beneficiaryId: alarm.beneficiaryId,
    from,
    to,
    by: by.id,
    at: now,
    ...(input.type === 'resolve' ? { outcome: input.outcome } : {}),
  });
  for (const effect of result.effects) {
    // Issue 18: a duress device hears nothing after its "cancelled" (src/domain/duress.ts).
    if (effect.type === 'downlink' && alarm.kind !== 'device_offline' && deviceAckState(alarm.kind, effect.state)) {
      ctx.events.emit('downlink.requested', {
        deviceId: alarm.deviceId,
        topic: 'ack',
        payload: { alarmId, state: effect.state },
        retain: false,
      });
    }
  }
  ctx.kick();
  return dispatch ? { ...alarm, dispatch } : alarm;
}
