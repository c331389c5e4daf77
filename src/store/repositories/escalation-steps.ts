import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { type PolicyStep, policyStepSchema } from '../../domain/escalation.ts';
import type { Engine } from '../database.ts';
import { newId } from '../ids.ts';
import { type Checked, checkedJson, mapEach } from '../row-check.ts';
import type { Database } from '../schema.ts';
import type { AlarmStepTable } from '../schema-alerts.ts';
import { type SqliteRead, sqliteRead } from '../sqlite-read.ts';
import type { Tx } from './alarms.ts';

/** One step of one alarm's escalation, with when it next runs. */
export interface EscalationStep {
  id: string;
  alarmId: string;
  index: number;
  step: PolicyStep;
  dueAt: number | null;
  firedCount: number;
  lastFiredAt: number | null;
  doneAt: number | null;
  doneReason: string | null;
}

export type StepDoneReason = 'fired' | 'resolved' | 'acknowledged' | 'alarm missing';

/** A step row with its policy step already read (and checked). */
export const stepOf = (r: AlarmStepTable, step: PolicyStep): EscalationStep => ({
  id: r.id,
  alarmId: r.alarm_id,
  index: r.step_index,
  step,
  dueAt: r.due_at,
  firedCount: r.fired_count,
  lastFiredAt: r.last_fired_at,
  doneAt: r.done_at,
  doneReason: r.done_reason,
});

export const toStep = (r: AlarmStepTable): EscalationStep =>
  stepOf(r, checkedJson('alarm_steps', r.id, 'step', policyStepSchema, r.step) as PolicyStep);

/** An alarm's step rows as both engines' writers insert them; a step of an alarm already resolved is written as done. */
export function stepRows(alarmId: string, steps: { index: number; step: PolicyStep; dueAt: number }[], resolvedAt: number | null) {
  return steps.map(
    (s): AlarmStepTable => ({
      id: newId('stp'),
      alarm_id: alarmId,
      step_index: s.index,
      step: JSON.stringify(s.step),
      due_at: resolvedAt === null ? s.dueAt : null,
      fired_count: 0,
      last_fired_at: null,
      done_at: resolvedAt,
      done_reason: resolvedAt === null ? null : 'resolved',
    }),
  );
}

/** What a firing changes on the step's row; `nextDueAt` null finishes the step. */
export function firingChange(step: EscalationStep, now: number, nextDueAt: number | null) {
  return {
    fired_count: step.firedCount + 1,
    last_fired_at: now,
    due_at: nextDueAt,
    done_at: nextDueAt === null ? now : null,
    done_reason: nextDueAt === null ? 'fired' : null,
  };
}

/** P1: every step of every alarm is a row with its next due time; the database is the schedule. */
export class EscalationStepRepository {
  /** SQLite: the checks every pass of the alerts pump makes (src/store/sqlite-read.ts). */
  private readonly dueRead: SqliteRead | undefined;
  private readonly pendingRead: SqliteRead | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine,
    sqlite?: SQLite.Database,
  ) {
    this.dueRead = sqliteRead(sqlite, 'select 1 from alarm_steps where done_at is null and due_at <= ? limit 1', true);
    this.pendingRead = sqliteRead(sqlite, 'select count(*) from alarm_steps where done_at is null', true);
  }

  /**
   * Whether a step may be due now. The alerts pump asks five times a second; on SQLite a prepared
   * read answers, so an idle centre opens no transaction (the query builder's was most of its idle
   * CPU). Elsewhere, and inside a transaction, it says yes and the claim decides.
   */
  async anyDue(now: number): Promise<boolean> {
    const read = this.dueRead?.now();
    return read ? read.get(now) !== undefined : true;
  }

  /** Writes an alarm's steps; a step of an alarm already resolved is written as done. */
  async schedule(
    tx: Tx,
    alarmId: string,
    steps: { index: number; step: PolicyStep; dueAt: number }[],
    resolvedAt: number | null,
  ): Promise<EscalationStep[]> {
    const rows = stepRows(alarmId, steps, resolvedAt);
    // One statement for the policy's steps: the alarm path counts its queries (bench/alarm-cpu.ts).
    if (rows.length > 0) await tx.insertInto('alarm_steps').values(rows).execute();
    return rows.map(toStep);
  }

  /**
   * Claims due steps in the caller's transaction — on PostgreSQL with `FOR UPDATE SKIP LOCKED`,
   * so several nodes share the work and a crashed node's lock dies with its connection; SQLite
   * has a single writer. Unreadable rows come back in `bad`, never in the way of the others.
   */
  async claimDue(tx: Tx, now: number, limit: number): Promise<Checked<EscalationStep> & { claimed: number }> {
    let q = tx.selectFrom('alarm_steps').selectAll().where('done_at', 'is', null).where('due_at', '<=', now).orderBy('due_at').limit(limit);
    if (this.engine === 'postgres') q = q.forUpdate().skipLocked();
    const rows = await q.execute();
    return { ...mapEach(rows, toStep), claimed: rows.length };
  }

  /** Ids of the steps due now, for running them one by one when a batch fails. */
  async dueIds(now: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('alarm_steps')
      .select('id')
      .where('done_at', 'is', null)
      .where('due_at', '<=', now)
      .orderBy('due_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** One step, if it is still due (claimed like `claimDue`). */
  async claimOne(tx: Tx, id: string, now: number): Promise<EscalationStep | undefined> {
    let q = tx.selectFrom('alarm_steps').selectAll().where('id', '=', id).where('done_at', 'is', null).where('due_at', '<=', now);
    if (this.engine === 'postgres') q = q.forUpdate().skipLocked();
    const row = await q.executeTakeFirst();
    return row ? toStep(row) : undefined;
  }

  /** Sets a step that cannot run aside until `until`, so it is retried without blocking the loop. */
  async postpone(id: string, until: number, tx: Kysely<Database> | Tx = this.db): Promise<void> {
    await tx.updateTable('alarm_steps').set({ due_at: until }).where('id', '=', id).execute();
  }

  async finish(tx: Tx, id: string, now: number, reason: StepDoneReason): Promise<void> {
    await tx.updateTable('alarm_steps').set({ done_at: now, done_reason: reason, due_at: null }).where('id', '=', id).execute();
  }

  /** Records a firing; `nextDueAt` null finishes the step. */
  async recordFiring(tx: Tx, step: EscalationStep, now: number, nextDueAt: number | null): Promise<void> {
    await tx
      .updateTable('alarm_steps')
      .set(firingChange(step, now, nextDueAt))
      .where('id', '=', step.id)
      .execute();
  }

  /**
   * Stops an alarm's running steps. An acknowledgement leaves running the steps that say
   * `untilAcknowledged: false`; a resolution stops them all. A step row that cannot be read
   * could not fire anyway: it is stopped too.
   */
  async stopFor(tx: Tx, alarmId: string, now: number, reason: 'acknowledged' | 'resolved'): Promise<void> {
    const rows = await tx.selectFrom('alarm_steps').selectAll().where('alarm_id', '=', alarmId).where('done_at', 'is', null).execute();
    const { items } = mapEach(rows, toStep);
    const keep = new Set(reason === 'resolved' ? [] : items.filter((s) => !s.step.untilAcknowledged).map((s) => s.id));
    const stop = rows.map((r) => r.id).filter((id) => !keep.has(id));
    if (stop.length === 0) return;
    await tx.updateTable('alarm_steps').set({ done_at: now, done_reason: reason, due_at: null }).where('id', 'in', stop).execute();
  }

  /** An alarm's steps (the readable ones). */
  async ofAlarm(tx: Tx, alarmId: string): Promise<Checked<EscalationStep>> {
    const rows = await tx.selectFrom('alarm_steps').selectAll().where('alarm_id', '=', alarmId).orderBy('step_index').execute();
    return mapEach(rows, toStep);
  }

  /** Steps still scheduled, for the gauge. */
  async pendingCount(): Promise<number> {
    const read = this.pendingRead?.now();
    if (read) return Number(read.get());
    const row = await this.db
      .selectFrom('alarm_steps')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('done_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
