import { isBadRow } from '../../store/index.ts';
import type { AlertsContext } from '../context.ts';
import { fireStep } from './step-runner.ts';

/** A step that cannot run (an unreadable row) is tried again after this, without blocking the loop. */
const RETRY_UNREADABLE_MS = 60_000;

/**
 * P1: the due-step loop. Steps due together run in one transaction (one commit, one fsync on
 * SQLite). If that batch fails, each step runs in a transaction of its own, and a step that
 * still fails is set aside for a minute and logged: an alarm is never held up by a neighbour.
 * Returns how many steps ran.
 */
export async function runDueSteps(ctx: AlertsContext, max = 100, batch = 20): Promise<number> {
  let ran = 0;
  while (ran < max) {
    const now = ctx.clock.now();
    if (!(await ctx.repos.escalationSteps.anyDue(now))) break;
    let did: number;
    try {
      did = await runBatch(ctx, now, batch);
    } catch (err) {
      if (ctx.storeFailed?.(err)) throw err;
      ctx.logger.error({ err }, 'a batch of escalation steps failed; running them one by one');
      did = await runOneByOne(ctx, now, batch);
    }
    ran += did;
    if (did < batch) break;
  }
  return ran;
}

async function runBatch(ctx: AlertsContext, now: number, batch: number): Promise<number> {
  const { alarms, escalationSteps } = ctx.repos;
  return alarms.transaction(async (tx) => {
    const due = await escalationSteps.claimDue(tx, now, batch);
    for (const err of due.bad) {
      ctx.logger.error({ err, ...err.details }, 'escalation step unreadable; retrying it later');
      await escalationSteps.postpone(String(err.details?.id), now + RETRY_UNREADABLE_MS, tx);
    }
    for (const step of due.items) await fireStep(tx, ctx, step, now, false);
    return due.claimed;
  });
}

async function runOneByOne(ctx: AlertsContext, now: number, batch: number): Promise<number> {
  const { alarms, escalationSteps } = ctx.repos;
  const ids = await escalationSteps.dueIds(now, batch);
  for (const id of ids) {
    try {
      await alarms.transaction(async (tx) => {
        const step = await escalationSteps.claimOne(tx, id, now);
        if (step) await fireStep(tx, ctx, step, now, false);
      });
    } catch (err) {
      if (ctx.storeFailed?.(err)) throw err;
      const fields = isBadRow(err) ? err.details : undefined;
      ctx.logger.error({ err, stepId: id, ...fields }, 'escalation step failed; retrying it later');
      await escalationSteps.postpone(id, now + RETRY_UNREADABLE_MS);
    }
  }
  return ids.length;
}
