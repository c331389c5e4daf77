import { setImmediate as nextTurn } from 'node:timers/promises';
import { deviceAckState } from '../../domain/duress.ts';
import { initialSchedule, type Policy, type PolicyStep, policyFor } from '../../domain/escalation.ts';
import type { Alarm } from '../../store/index.ts';
import { type AlertsContext, ENGINE_ACTOR } from '../context.ts';
import { openOnSqlite } from './open-alarm-sqlite.ts';
import { fireStep, publishNotes } from './step-runner.ts';

/**
 * Copies the policy in force onto a freshly raised alarm and schedules its steps: editing a
 * policy never changes a running escalation. Copying only onto an alarm without a policy makes
 * this idempotent: the event and the start-up sweep may both try, one wins.
 */
export async function openAlarm(ctx: AlertsContext, alarmId: string): Promise<boolean> {
  const onSqlite = await openPrepared(ctx, alarmId);
  if (onSqlite !== undefined) return onSqlite;
  try {
    return await open(ctx, alarmId, true);
  } catch (err) {
    // P1: a step that cannot fire must not keep the escalation from starting. The steps are
    // scheduled without firing, and the due-step loop (the pump's next full pass, within its
    // poll interval) runs them one by one and sets aside the one that still fails.
    ctx.logger.error({ err, alarmId }, 'the first steps of an alarm failed; scheduling them for the due-step loop');
    return open(ctx, alarmId, false);
  }
}

async function open(ctx: AlertsContext, alarmId: string, fireDueNow: boolean): Promise<boolean> {
  const { alarms, escalationSteps } = ctx.repos;
  const now = ctx.clock.now();
  const opened = await alarms.transaction(async (tx) => {
    const alarm = await alarms.get(alarmId, tx);
    if (!alarm || alarm.policy !== null) return undefined;
    const policy = policyFor(ctx.policies, alarm.kind) as Policy;
    if (!(await alarms.startEscalation(tx, alarmId, policy, now))) return undefined;
    // Steps are timed from when the alarm reached us: one raised just before a crash is
    // late by the downtime, never skipped (P1).
    const schedule = initialSchedule(policy, alarm.receivedAt).map((s) => ({ ...s, step: policy.steps[s.index] as PolicyStep }));
    const steps = await escalationSteps.schedule(tx, alarmId, schedule, alarm.state === 'resolved' ? now : null);
    await alarms.appendTimeline({ alarmId, at: now, kind: 'escalation_started', actor: ENGINE_ACTOR, detail: { policy: policy.name } }, tx);
    // Seconds matter: the 0 s steps fire in the same commit that opens the escalation.
    if (fireDueNow) {
      const due = steps.filter((step) => step.dueAt !== null && step.dueAt <= now);
      // Firing a step changes none of what the next one reads: one read serves them all.
      const forMessages = due.length > 0 ? await alarms.forMessages(alarmId, tx, alarm) : undefined;
      for (const step of due) await fireStep(tx, ctx, step, now, false, forMessages);
      // Issue 18: the operator finds the action plan with the alarm, from the same commit. The
      // fallback below leaves it out (a plan must not stop an escalation); the alarm view then
      // attaches it when first shown.
      await ctx.actionPlans?.ensure(alarmId, tx, alarm);
    }
    return alarm;
  });
  if (!opened) return false;
  announceOpened(ctx, alarmId, opened, now);
  return true;
}

/**
 * SQLite: the opening as one prepared, synchronous transaction (open-alarm-sqlite.ts). A
 * transaction of the query builder open on the connection is waited out for a few turns of the
 * event loop, then the opening takes the portable path in line like everyone else; so does one
 * whose prepared transaction failed (it wrote nothing), which also sets aside a failing step.
 * Undefined: take the portable path.
 */
async function openPrepared(ctx: AlertsContext, alarmId: string): Promise<boolean | undefined> {
  const store = ctx.repos.sqliteAlarmOpening();
  if (!store) return undefined;
  for (let turn = 0; turn < 50; turn++) {
    const now = ctx.clock.now();
    let done: ReturnType<typeof openOnSqlite>;
    try {
      done = openOnSqlite(ctx, store, alarmId, now);
    } catch (err) {
      ctx.logger.error({ err, alarmId }, 'the prepared opening of an alarm failed; opening it through the query builder');
      return undefined;
    }
    if (done === null) return false;
    if (done) {
      for (const f of done.fired) {
        ctx.metrics.steps.inc({ target: f.target });
        publishNotes(ctx, alarmId, f.pages);
      }
      announceOpened(ctx, alarmId, done.alarm, now);
      return true;
    }
    await nextTurn();
  }
  return undefined;
}

function announceOpened(ctx: AlertsContext, alarmId: string, opened: Alarm, now: number): void {
  ctx.hub.publish({ event: 'alarm.opened', data: { alarmId, deviceId: opened.deviceId, kind: opened.kind, at: now }, personal: true });
  // Device feedback: the press was received and is being handled (issue 4 §7); a duress
  // alarm reads as cancelled to whoever holds the device (issue 18, src/domain/duress.ts).
  if (opened.kind !== 'device_offline') {
    ctx.events.emit('downlink.requested', {
      deviceId: opened.deviceId,
      topic: 'ack',
      payload: { alarmId, state: deviceAckState(opened.kind, 'received') },
      retain: false,
    });
  }
  ctx.kick();
}

/** P1: at start, alarms raised just before a crash (no policy yet) get their escalation. */
export async function adoptPendingAlarms(ctx: AlertsContext): Promise<number> {
  let adopted = 0;
  for (const id of await ctx.repos.alarms.awaitingEscalation()) {
    try {
      if (await openAlarm(ctx, id)) adopted += 1;
    } catch (err) {
      // One unreadable alarm must not keep the others from escalating.
      ctx.logger.error({ err, alarmId: id }, 'could not start the escalation of an alarm');
    }
  }
  return adopted;
}

/** A repeat press joins the open alarm: intake put it on the timeline in the press's own commit. */
export async function notePress(ctx: AlertsContext, alarmId: string, pressCount: number, at: number): Promise<void> {
  ctx.hub.publish({ event: 'alarm.press_joined', data: { alarmId, pressCount, at }, personal: true });
}
