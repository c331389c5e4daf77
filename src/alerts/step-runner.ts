import type { Transaction } from 'kysely';
import type { AlarmState } from '../domain/alarm.ts';
import { decideStep, type PolicyStep } from '../domain/escalation.ts';
import type { Database } from '../store/schema.ts';
import type { AlarmStepTable } from '../store/schema-alerts.ts';
import { type AlertsContext, ENGINE_ACTOR } from './context.ts';
import { loadAlarmForMessages } from './message-vars.ts';
import { queueNotification } from './outbox.ts';
import { pagesForStep } from './recipients.ts';
import { appendTimeline } from './timeline.ts';

/**
 * P1: claims due steps in a transaction — on PostgreSQL with
 * `FOR UPDATE SKIP LOCKED`, so several nodes share the work and a crashed node's lock dies with
 * its connection; SQLite has a single writer. Returns how many steps ran.
 */
export async function runDueSteps(ctx: AlertsContext, max = 100, batch = 20): Promise<number> {
  let ran = 0;
  while (ran < max) {
    const now = ctx.clock.now();
    // A batch per transaction: one commit (one fsync on SQLite) for all steps due together.
    const did = await ctx.db.transaction().execute(async (trx) => {
      let q = trx
        .selectFrom('alarm_steps')
        .selectAll()
        .where('done_at', 'is', null)
        .where('due_at', '<=', now)
        .orderBy('due_at')
        .limit(batch);
      if (ctx.engine === 'postgres') q = q.forUpdate().skipLocked();
      const rows = await q.execute();
      for (const row of rows) await fireStep(trx, ctx, row, now, false);
      return rows.length;
    });
    ran += did;
    if (did < batch) break;
  }
  return ran;
}

/**
 * Runs one step: asks the pure core whether it pages and when it runs next, queues the pages,
 * notes the timeline. `forced`: the operator dispatched, so the responder step fires now.
 */
export async function fireStep(
  trx: Transaction<Database>,
  ctx: AlertsContext,
  row: AlarmStepTable,
  now: number,
  forced: boolean,
): Promise<void> {
  const step = JSON.parse(row.step) as PolicyStep;
  const a = await loadAlarmForMessages(trx, row.alarm_id);
  if (!a) {
    await trx
      .updateTable('alarm_steps')
      .set({ done_at: now, done_reason: 'alarm missing', due_at: null })
      .where('id', '=', row.id)
      .execute();
    return;
  }
  const decision = forced ? { fire: true as const, nextDueAt: null } : decideStep(step, { state: a.alarm.state as AlarmState }, now);
  if (!decision.fire) {
    await trx
      .updateTable('alarm_steps')
      .set({ done_at: now, done_reason: decision.reason, due_at: null })
      .where('id', '=', row.id)
      .execute();
    return;
  }
  const pages = await pagesForStep(trx, ctx, a, step, row.id);
  for (const note of pages.notes)
    await appendTimeline(trx, { alarmId: a.alarm.id, at: now, kind: note.kind, actor: ENGINE_ACTOR, detail: note.detail });
  for (const n of pages.notifications) {
    const id = await queueNotification(trx, n, now);
    await appendTimeline(trx, {
      alarmId: a.alarm.id,
      at: now,
      kind: 'notification_queued',
      actor: ENGINE_ACTOR,
      detail: { notificationId: id, target: n.target, channel: n.channel, recipientType: n.recipientType, recipientId: n.recipientId },
    });
  }
  await appendTimeline(trx, {
    alarmId: a.alarm.id,
    at: now,
    kind: 'step_fired',
    actor: ENGINE_ACTOR,
    detail: { step: row.step_index, target: step.target, channel: step.channel, late: Math.max(0, now - (row.due_at ?? now)), forced },
  });
  await trx
    .updateTable('alarm_steps')
    .set({
      fired_count: row.fired_count + 1,
      last_fired_at: now,
      due_at: decision.nextDueAt,
      done_at: decision.nextDueAt === null ? now : null,
      done_reason: decision.nextDueAt === null ? 'fired' : null,
    })
    .where('id', '=', row.id)
    .execute();
  ctx.metrics.steps.inc({ target: step.target });
  // Operators see the skip of an aggressor responder at once, not only in the evidence (P4).
  for (const note of pages.notes)
    ctx.hub.publish({ event: `alarm.${note.kind}`, data: { alarmId: a.alarm.id, ...note.detail }, personal: true });
}
