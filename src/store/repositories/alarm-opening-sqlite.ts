import type SQLite from 'better-sqlite3';
import type { Policy, PolicyStep } from '../../domain/escalation.ts';
import type { Actor } from '../actor.ts';
import { newId } from '../ids.ts';
import type { AlarmTable } from '../schema.ts';
import type { NewPlanStep } from './action-plans.ts';
import { planStepRow } from './action-plans.ts';
import { type Alarm, type AlarmForMessages, type NewTimelineEntry, timelineRow, toAlarm } from './alarms.ts';
import { type AuditEntry, linkedAuditRow } from './audit.ts';
import { type EscalationStep, firingChange, type StepDoneReason, stepOf, stepRows } from './escalation-steps.ts';
import { type NewNotification, notificationRow } from './notification-rows.ts';
import { SqliteRegistryCache } from './registry-cache-sqlite.ts';

/** `insert into table (a, b) values (@a, @b)` for the columns of a row builder's rows. */
function inserter(db: SQLite.Database, table: string, sample: object): SQLite.Statement {
  const columns = Object.keys(sample);
  return db.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
}

/**
 * The writes and reads of an alarm's opening on SQLite — policy copy, steps, the steps due at
 * 0 s with their pages, timeline, audit of the contacts read, action plan — as statements prepared
 * once, run synchronously in one better-sqlite3 transaction (one commit). The rows are built by
 * the same functions as the portable repositories' (alarms.ts, escalation-steps.ts,
 * notifications.ts, audit.ts, action-plans.ts), so both engines store the same thing; the
 * opening's decisions are the alerts part's (src/alerts/escalation/open-alarm-sqlite.ts).
 */
export class SqliteAlarmOpening {
  readonly registry: SqliteRegistryCache;
  private readonly q;

  constructor(private readonly db: SQLite.Database) {
    this.registry = new SqliteRegistryCache(db);
    const sampleStep = stepRows('a', [{ index: 0, step: {} as PolicyStep, dueAt: 0 }], null)[0] as object;
    const sampleNotification = notificationRow('n', {} as NewNotification, 0);
    this.q = {
      alarm: db.prepare('select * from alarms where id = ?'),
      deviceState: db.prepare('select state_code from devices where id = ?').pluck(),
      startEscalation: db.prepare('update alarms set policy = ?, updated_at = ? where id = ? and policy is null'),
      step: inserter(db, 'alarm_steps', sampleStep),
      firing: db.prepare(
        'update alarm_steps set fired_count = @fired_count, last_fired_at = @last_fired_at, due_at = @due_at, done_at = @done_at, done_reason = @done_reason where id = @id',
      ),
      finish: db.prepare('update alarm_steps set done_at = ?, done_reason = ?, due_at = null where id = ?'),
      timeline: inserter(db, 'alarm_timeline', timelineRow({ alarmId: '', at: 0, kind: '', actor: '' })),
      notification: inserter(db, 'notifications', sampleNotification),
      auditHead: db.prepare('select seq, hash from audit_head where id = 1'),
      audit: db.prepare(
        'insert into audit_log (seq, at, actor_id, actor_role, action, record_type, record_id, request_id, detail, prev_hash, hash) values (@seq, @at, @actor_id, @actor_role, @action, @record_type, @record_id, @request_id, @detail, @prev_hash, @hash)',
      ),
      auditHeadSet: db.prepare('update audit_head set seq = ?, hash = ? where id = 1'),
      plan: db.prepare('insert into alarm_plans (alarm_id, plan_name, attached_at) values (?, ?, ?) on conflict (alarm_id) do nothing'),
      planStep: inserter(
        db,
        'alarm_plan_steps',
        planStepRow('a', { key: '', index: 0, type: 'check', title: '', after: [], source: 'plan' }),
      ),
    };
  }

  /**
   * Runs `work` in one transaction and commits it, or answers undefined without running it when
   * a transaction of the query builder is open on the connection (its statements would join it).
   */
  transaction<T>(work: () => T): T | undefined {
    if (this.db.inTransaction) return undefined;
    return this.db.transaction(work)();
  }

  alarm(id: string): Alarm | undefined {
    const row = this.q.alarm.get(id) as AlarmTable | undefined;
    return row ? toAlarm(row) : undefined;
  }

  /** As `AlarmRepository.forMessages`; who the person is comes from the registry cache. */
  forMessages(alarm: Alarm): AlarmForMessages {
    const subject = alarm.beneficiaryId ? this.registry.subject(alarm.beneficiaryId) : undefined;
    const deviceStateCode = (this.q.deviceState.get(alarm.deviceId) as string | null | undefined) ?? undefined;
    return { alarm, subject, deviceStateCode };
  }

  startEscalation(id: string, policy: Policy, now: number): boolean {
    return this.q.startEscalation.run(JSON.stringify(policy), now, id).changes === 1;
  }

  schedule(alarmId: string, steps: { index: number; step: PolicyStep; dueAt: number }[], resolvedAt: number | null): EscalationStep[] {
    const rows = stepRows(alarmId, steps, resolvedAt);
    for (const row of rows) this.q.step.run(row);
    // The policy's steps were checked when it was loaded: not parsed back from the text just written.
    return rows.map((row, i) => stepOf(row, (steps[i] as { step: PolicyStep }).step));
  }

  recordFiring(step: EscalationStep, now: number, nextDueAt: number | null): void {
    this.q.firing.run({ ...firingChange(step, now, nextDueAt), id: step.id });
  }

  finish(stepId: string, now: number, reason: StepDoneReason): void {
    this.q.finish.run(now, reason, stepId);
  }

  appendTimeline(entry: NewTimelineEntry): void {
    this.q.timeline.run(timelineRow(entry));
  }

  /** Queues a message on the outbox; returns its id. */
  queue(n: NewNotification, now: number): string {
    const id = newId('ntf');
    this.q.notification.run(notificationRow(id, n, now));
    return id;
  }

  audit(actor: Actor, entry: AuditEntry, at: number): void {
    const head = this.q.auditHead.get() as { seq: number; hash: string } | undefined;
    if (!head) throw new Error('audit_head row missing');
    const row = linkedAuditRow(head, actor, entry, at);
    this.q.audit.run(row);
    this.q.auditHeadSet.run(row.seq, row.hash);
  }

  /** As `ActionPlanRepository.attach`: the header row is the claim; false if the alarm had its plan. */
  attachPlan(alarmId: string, planName: string | null, steps: NewPlanStep[], now: number): boolean {
    if (this.q.plan.run(alarmId, planName, now).changes !== 1) return false;
    for (const s of steps) this.q.planStep.run(planStepRow(alarmId, s));
    return true;
  }
}
