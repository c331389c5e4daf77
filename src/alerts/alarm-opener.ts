import { initialSchedule, type Policy, policyFor } from '../domain/escalation.ts';
import { newId } from '../store/index.ts';
import type { AlarmStepTable } from '../store/schema-alerts.ts';
import { type AlertsContext, ENGINE_ACTOR } from './context.ts';
import { fireStep } from './step-runner.ts';
import { appendTimeline } from './timeline.ts';

/**
 * Copies the policy in force onto a freshly raised alarm and schedules its steps (docs/architecture.md:
 * editing a policy never changes a running escalation). The conditional UPDATE on `policy IS NULL`
 * makes this idempotent: the event and the start-up sweep may both try, one wins.
 */
export async function openAlarm(ctx: AlertsContext, alarmId: string): Promise<boolean> {
  const now = ctx.clock.now();
  const opened = await ctx.db.transaction().execute(async (trx) => {
    const alarm = await trx
      .selectFrom('alarms')
      .select(['id', 'kind', 'state', 'policy', 'device_id', 'received_at'])
      .where('id', '=', alarmId)
      .executeTakeFirst();
    if (!alarm || alarm.policy !== null) return undefined;
    const policy = policyFor(ctx.policies, alarm.kind) as Policy;
    const res = await trx
      .updateTable('alarms')
      .set({ policy: JSON.stringify(policy), updated_at: now })
      .where('id', '=', alarmId)
      .where('policy', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) return undefined;
    // Steps are timed from when the alarm reached us: one raised just before a crash is
    // late by the downtime, never skipped (P1).
    const dueNow: AlarmStepTable[] = [];
    for (const { index, dueAt } of initialSchedule(policy, alarm.received_at)) {
      const row: AlarmStepTable = {
        id: newId('stp'),
        alarm_id: alarmId,
        step_index: index,
        step: JSON.stringify(policy.steps[index]),
        due_at: alarm.state === 'resolved' ? null : dueAt,
        fired_count: 0,
        last_fired_at: null,
        done_at: alarm.state === 'resolved' ? now : null,
        done_reason: alarm.state === 'resolved' ? 'resolved' : null,
      };
      await trx.insertInto('alarm_steps').values(row).execute();
      if (row.due_at !== null && row.due_at <= now) dueNow.push(row);
    }
    await appendTimeline(trx, { alarmId, at: now, kind: 'escalation_started', actor: ENGINE_ACTOR, detail: { policy: policy.name } });
    // Seconds matter: the 0 s steps fire in the same commit that opens the escalation.
    for (const row of dueNow) await fireStep(trx, ctx, row, now, false);
    return alarm;
  });
  if (!opened) return false;
  ctx.hub.publish({ event: 'alarm.opened', data: { alarmId, deviceId: opened.device_id, kind: opened.kind, at: now }, personal: true });
  // Device feedback: the press was received and is being handled (issue 4 §7).
  if (opened.kind !== 'device_offline') {
    ctx.events.emit('downlink.requested', {
      deviceId: opened.device_id,
      topic: 'ack',
      payload: { alarmId, state: 'received' },
      retain: false,
    });
  }
  ctx.kick();
  return true;
}

/** P1: at start, alarms raised just before a crash (policy still NULL) get their escalation. */
export async function adoptPendingAlarms(ctx: AlertsContext): Promise<number> {
  const pending = await ctx.db
    .selectFrom('alarms')
    .select('id')
    .where('policy', 'is', null)
    .where('state', '<>', 'resolved')
    .orderBy('received_at')
    .execute();
  let adopted = 0;
  for (const { id } of pending) if (await openAlarm(ctx, id)) adopted += 1;
  return adopted;
}

/** A repeat press joins the open alarm: counted and timestamped on the timeline. */
export async function notePress(ctx: AlertsContext, alarmId: string, pressCount: number, at: number): Promise<void> {
  await appendTimeline(ctx.db, {
    alarmId,
    at: ctx.clock.now(),
    kind: 'press_joined',
    actor: 'device',
    detail: { pressCount, pressedAt: at },
  });
  ctx.hub.publish({ event: 'alarm.press_joined', data: { alarmId, pressCount, at }, personal: true });
}
