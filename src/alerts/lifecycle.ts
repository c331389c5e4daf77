import type { AlarmOutcome, AlarmState } from '../domain/alarm.ts';
import { type LifecycleInput, transition } from '../domain/alarm-lifecycle.ts';
import { CentinelaError, notFound } from '../domain/errors.ts';
import type { PolicyStep } from '../domain/escalation.ts';
import type { AlarmTable } from '../store/schema.ts';
import { openCaseReview } from './case-reviews.ts';
import type { AlertsContext } from './context.ts';
import { cancelPaging } from './outbox.ts';
import { fireStep } from './step-runner.ts';
import { appendTimeline } from './timeline.ts';

/** Who acted, and through which channel (the console/API, a keypress, an SMS reply). */
export interface ActedBy {
  id: string;
  via: 'api' | 'voice' | 'sms' | 'system';
}

const stateConflict = (message: string, state: string) => new CentinelaError('CENTINELA_ERR_STATE_CONFLICT', message, { state });

/**
 * Applies one lifecycle transition. The UPDATE is conditional on the state read, so of two
 * operators acknowledging at once exactly one wins and the other gets 409 (first ack wins).
 */
export async function applyTransition(
  ctx: AlertsContext,
  alarmId: string,
  input: LifecycleInput,
  by: ActedBy,
  note?: string,
): Promise<AlarmTable> {
  const now = ctx.clock.now();
  const result = await ctx.db.transaction().execute(async (trx) => {
    const alarm = await trx.selectFrom('alarms').selectAll().where('id', '=', alarmId).executeTakeFirst();
    if (!alarm) throw notFound('alarm', alarmId);
    const from = alarm.state as AlarmState;
    const t = transition(from, input, { test: alarm.test === 1 });
    if (!t.ok) throw stateConflict(t.reason, from);
    const set: Partial<AlarmTable> = { state: t.to, updated_at: now };
    if (t.alsoAcknowledged || input.type === 'acknowledge') Object.assign(set, { acknowledged_at: now, acknowledged_by: by.id });
    if (input.type === 'dispatch') Object.assign(set, { dispatched_at: now, dispatched_by: by.id });
    if (input.type === 'on_scene') Object.assign(set, { on_scene_at: now, on_scene_by: by.id });
    if (input.type === 'resolve')
      Object.assign(set, { resolved_at: now, resolved_by: by.id, outcome: input.outcome, resolution_note: note ?? null });
    const res = await trx.updateTable('alarms').set(set).where('id', '=', alarmId).where('state', '=', from).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw stateConflict(`the alarm changed meanwhile (it was ${from})`, from);

    await appendTimeline(trx, {
      alarmId,
      at: now,
      kind: t.to,
      actor: by.id,
      detail: { from, via: by.via, ...(input.type === 'resolve' ? { outcome: input.outcome } : {}), ...(note ? { note } : {}) },
    });
    for (const effect of t.effects) {
      if (effect.type === 'stop_paging') {
        const cancelled = await cancelPaging(trx, alarmId, now, input.type === 'resolve');
        let stop = trx
          .updateTable('alarm_steps')
          .set({ done_at: now, done_reason: input.type === 'resolve' ? 'resolved' : 'acknowledged', due_at: null })
          .where('alarm_id', '=', alarmId)
          .where('done_at', 'is', null);
        // Steps that say so keep running after an acknowledgement; a resolution stops them all.
        if (input.type !== 'resolve') stop = stop.where('step', 'not like', '%"untilAcknowledged":false%');
        await stop.execute();
        await appendTimeline(trx, { alarmId, at: now, kind: 'paging_stopped', actor: by.id, detail: { cancelled } });
      }
      if (effect.type === 'page_responder') {
        // docs/architecture.md: the responder is paged when an operator dispatches, if not already paged.
        const steps = await trx.selectFrom('alarm_steps').selectAll().where('alarm_id', '=', alarmId).execute();
        for (const row of steps) {
          const step = JSON.parse(row.step) as PolicyStep;
          if (step.onDispatch && row.fired_count === 0) await fireStep(trx, ctx, row, now, true);
        }
      }
      if (effect.type === 'open_case_review') await openCaseReview(trx, alarm, now);
    }
    return { alarm: { ...alarm, ...set } as AlarmTable, from, to: t.to, effects: t.effects };
  });
  const { alarm, from, to } = result;
  ctx.events.emit('alarm.changed', {
    alarmId,
    deviceId: alarm.device_id,
    beneficiaryId: alarm.beneficiary_id,
    from,
    to,
    by: by.id,
    at: now,
    ...(input.type === 'resolve' ? { outcome: input.outcome as AlarmOutcome } : {}),
  });
  for (const effect of result.effects) {
    if (effect.type === 'downlink' && alarm.kind !== 'device_offline') {
      ctx.events.emit('downlink.requested', {
        deviceId: alarm.device_id,
        topic: 'ack',
        payload: { alarmId, state: effect.state },
        retain: false,
      });
    }
  }
  ctx.kick();
  return alarm;
}
