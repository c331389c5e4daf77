import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type AlarmPlanStep, PLAN_STEP_STATUSES, PLAN_STEP_TYPES, type PlanStep, planStepSchema } from '../../domain/action-plan.ts';
import { newId } from '../ids.ts';
import { checkedJson, checkedOneOf } from '../row-check.ts';
import type { Database } from '../schema.ts';
import type { AlarmPlanStepTable, CasePlanStepTable } from '../schema-plans.ts';
import type { Tx } from './alarms.ts';

type Db = Kysely<Database> | Tx;
const T = 'alarm_plan_steps';
const keys = z.array(z.string());

const toStep = (r: AlarmPlanStepTable): AlarmPlanStep => ({
  key: r.step_key,
  index: r.step_index,
  type: checkedOneOf(T, r.id, 'type', PLAN_STEP_TYPES, r.type),
  title: r.title,
  after: checkedJson(T, r.id, 'after', keys, r.after) ?? [],
  source: checkedOneOf(T, r.id, 'source', ['plan', 'case'], r.source),
  status: checkedOneOf(T, r.id, 'status', PLAN_STEP_STATUSES, r.status),
  outcome: r.outcome,
  reason: r.reason,
  by: r.marked_by,
  at: r.marked_at,
});

export const toCaseStep = (r: CasePlanStepTable): CasePlanStep => ({
  id: r.id,
  beneficiaryId: r.beneficiary_id,
  step: checkedJson('case_plan_steps', r.id, 'step', planStepSchema, r.step) as PlanStep,
  kinds: checkedJson('case_plan_steps', r.id, 'kinds', keys, r.kinds),
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** A step a case adds to its person's plans; `kinds` null means every alarm kind. */
export interface CasePlanStep {
  id: string;
  beneficiaryId: string;
  step: PlanStep;
  kinds: string[] | null;
  createdBy: string;
  createdAt: number;
}

export type NewPlanStep = Pick<AlarmPlanStep, 'key' | 'index' | 'type' | 'title' | 'after' | 'source'>;

/** A plan step copied onto an alarm, as both engines' writers insert it. */
export function planStepRow(alarmId: string, s: NewPlanStep): AlarmPlanStepTable {
  return {
    id: newId('pst'),
    alarm_id: alarmId,
    step_key: s.key,
    step_index: s.index,
    type: s.type,
    title: s.title,
    after: JSON.stringify(s.after),
    source: s.source,
    status: 'open',
    outcome: null,
    reason: null,
    marked_by: null,
    marked_at: null,
  };
}

/** Action plans copied onto alarms and worked step by step (issue 18), and the cases' additions. */
export class ActionPlanRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Copies a plan onto an alarm once: the header row is the claim, so of the event, a read and
   * another node, exactly one writes the steps. False if the alarm already had its plan.
   */
  async attach(tx: Tx, alarmId: string, planName: string | null, steps: NewPlanStep[], now: number): Promise<boolean> {
    const res = await tx
      .insertInto('alarm_plans')
      .values({ alarm_id: alarmId, plan_name: planName, attached_at: now })
      .onConflict((oc) => oc.column('alarm_id').doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
    if (steps.length === 0) return true;
    await tx
      .insertInto('alarm_plan_steps')
      .values(steps.map((s) => planStepRow(alarmId, s)))
      .execute();
    return true;
  }

  /** The plan's name, or undefined when no plan was copied onto the alarm yet. */
  async header(alarmId: string, tx: Db = this.db): Promise<{ planName: string | null; attachedAt: number } | undefined> {
    const row = await tx.selectFrom('alarm_plans').selectAll().where('alarm_id', '=', alarmId).executeTakeFirst();
    return row && { planName: row.plan_name, attachedAt: row.attached_at };
  }

  async steps(alarmId: string, tx: Db = this.db): Promise<AlarmPlanStep[]> {
    const rows = await tx.selectFrom('alarm_plan_steps').selectAll().where('alarm_id', '=', alarmId).orderBy('step_index').execute();
    return rows.map(toStep);
  }

  /** Marks a step if it is still open (two operators marking at once: one wins). */
  async mark(
    tx: Tx,
    alarmId: string,
    key: string,
    change: { status: 'done' | 'skipped'; outcome: string | null; reason: string | null },
    by: string,
    now: number,
  ): Promise<boolean> {
    const res = await tx
      .updateTable('alarm_plan_steps')
      .set({ status: change.status, outcome: change.outcome, reason: change.reason, marked_by: by, marked_at: now })
      .where('alarm_id', '=', alarmId)
      .where('step_key', '=', key)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Case additions of a person, oldest first. */
  async caseSteps(beneficiaryId: string, tx: Db = this.db): Promise<CasePlanStep[]> {
    const rows = await tx
      .selectFrom('case_plan_steps')
      .selectAll()
      .where('beneficiary_id', '=', beneficiaryId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toCaseStep);
  }

  async addCaseStep(beneficiaryId: string, step: PlanStep, kinds: string[] | null, by: string, now: number): Promise<CasePlanStep> {
    const id = newId('cps');
    await this.db
      .insertInto('case_plan_steps')
      .values({
        id,
        beneficiary_id: beneficiaryId,
        step: JSON.stringify(step),
        kinds: kinds ? JSON.stringify(kinds) : null,
        created_by: by,
        created_at: now,
      })
      .execute();
    return { id, beneficiaryId, step, kinds, createdBy: by, createdAt: now };
  }

  async removeCaseStep(beneficiaryId: string, id: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('case_plan_steps')
      .where('id', '=', id)
      .where('beneficiary_id', '=', beneficiaryId)
      .executeTakeFirst();
    return Number(res.numDeletedRows) === 1;
  }

  /** Skipped steps per alarm kind among alarms received in [from, to), for the reports. */
  async skippedByKind(
    from: number,
    to: number,
  ): Promise<{ kind: string; alarms: number; beneficiaries: number; steps: number; skipped: number }[]> {
    const rows = await this.db
      .selectFrom('alarm_plan_steps as s')
      .innerJoin('alarms as a', 'a.id', 's.alarm_id')
      .select((eb) => [
        'a.kind as kind',
        eb.fn.count<number>('a.id').distinct().as('alarms'),
        eb.fn.count<number>('a.beneficiary_id').distinct().as('beneficiaries'),
        eb.fn.countAll<number>().as('steps'),
        eb.fn.sum<number>(eb.case().when('s.status', '=', 'skipped').then(1).else(0).end()).as('skipped'),
      ])
      .where('a.received_at', '>=', from)
      .where('a.received_at', '<', to)
      .groupBy('a.kind')
      .orderBy('a.kind')
      .execute();
    return rows.map((r) => ({
      kind: r.kind,
      alarms: Number(r.alarms),
      beneficiaries: Number(r.beneficiaries),
      steps: Number(r.steps),
      skipped: Number(r.skipped ?? 0),
    }));
  }

  /**
   * The people behind each alarm kind of the plan-steps report in [from, to): one entry per kind
   * and person (null: alarms of that kind without a person), for small-group suppression (P6).
   */
  async peopleByKind(from: number, to: number): Promise<{ kind: string; beneficiaryId: string | null }[]> {
    const rows = await this.db
      .selectFrom('alarm_plan_steps as s')
      .innerJoin('alarms as a', 'a.id', 's.alarm_id')
      .select(['a.kind as kind', 'a.beneficiary_id as beneficiary_id'])
      .distinct()
      .where('a.received_at', '>=', from)
      .where('a.received_at', '<', to)
      .execute();
    return rows.map((r) => ({ kind: r.kind, beneficiaryId: r.beneficiary_id }));
  }
}
