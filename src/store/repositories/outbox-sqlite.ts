import type SQLite from 'better-sqlite3';
import { type Checked, mapEach } from '../row-check.ts';
import type { NotificationTable } from '../schema-alerts.ts';
import { type NewTimelineEntry, timelineRow } from './alarms.ts';
import { type AttemptResult, attemptChange, attemptRow, type Notification, statusAfter, toNotification } from './notification-rows.ts';

/** One attempt to record, with the timeline entry that tells it. */
export interface AttemptRecord {
  n: Notification;
  a: AttemptResult;
  entry: NewTimelineEntry;
}

/**
 * The outbox's two statements per page on SQLite — claiming due messages, recording an attempt
 * with its timeline entry — prepared once and run synchronously (the query builder was most of
 * their cost, bench/alarm-cpu-results.md). The same statements and rows as
 * src/store/repositories/notifications.ts. Each method answers undefined, having done nothing,
 * when a transaction of the query builder is open on the connection (its statements would join it).
 */
export class SqliteOutbox {
  private readonly q;

  constructor(private readonly db: SQLite.Database) {
    const sampleAttempt = attemptRow({ id: '' } as Notification, {} as AttemptResult);
    const columns = Object.keys(sampleAttempt);
    this.q = {
      due: db
        .prepare(
          `select id from notifications where ((status in ('queued', 'retry') and next_attempt_at <= @now) or (status = 'sending' and lease_until < @now))
           order by created_at limit @limit`,
        )
        .pluck(),
      // A fresh attempt starts its window now, unless an earlier one is still in doubt.
      claimFresh: db.prepare(
        `update notifications set status = 'sending', lease_until = @lease, updated_at = @now,
         sending_since = case when in_doubt = 1 then sending_since else @now end
         where id = @id and status in ('queued', 'retry')`,
      ),
      // A lease that ran out: its sender died mid-request, so the message may have gone out.
      claimLapsed: db.prepare(
        `update notifications set status = 'sending', lease_until = @lease, updated_at = @now, in_doubt = 1
         where id = @id and status = 'sending' and lease_until < @now`,
      ),
      row: db.prepare('select * from notifications where id = ?'),
      attempt: db.prepare(`insert into notification_attempts (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`),
      status: db.prepare('select status from notifications where id = ?').pluck(),
      change: db.prepare(
        `update notifications set status = @status, attempts = @attempts, provider_id = @provider_id, next_attempt_at = @next_attempt_at,
         lease_until = @lease_until, last_error = @last_error, updated_at = @updated_at, in_doubt = @in_doubt where id = @id`,
      ),
      timeline: db.prepare(
        'insert into alarm_timeline (alarm_id, at, kind, actor, detail) values (@alarm_id, @at, @kind, @actor, @detail)',
      ),
    };
  }

  /** As `NotificationOutbox.claimDue`: the conditional UPDATEs keep two claimers from taking one row. */
  tryClaimDue(now: number, leaseMs: number, limit: number): Checked<Notification> | undefined {
    if (this.db.inTransaction) return undefined;
    const ids = this.q.due.all({ now, limit }) as string[];
    if (ids.length === 0) return { items: [], bad: [] };
    const rows = this.db.transaction(() => {
      const out: NotificationTable[] = [];
      for (const id of ids) {
        const claim = { id, now, lease: now + leaseMs };
        if (this.q.claimFresh.run(claim).changes === 1 || this.q.claimLapsed.run(claim).changes === 1)
          out.push(this.q.row.get(id) as NotificationTable);
      }
      return out;
    })();
    return mapEach(rows, toNotification);
  }

  /** As `NotificationOutbox.recordAttempt` plus the timeline entry, for several attempts in one commit; their statuses now. */
  tryRecordAttempts(records: readonly AttemptRecord[]): string[] | undefined {
    if (this.db.inTransaction) return undefined;
    return this.db.transaction(() =>
      records.map(({ n, a, entry }) => {
        this.q.attempt.run(attemptRow(n, a));
        const current = this.q.status.get(n.id) as string | undefined;
        if (current === undefined) throw new Error(`notification ${n.id} not found`);
        const status = statusAfter(current, a);
        this.q.change.run({ ...attemptChange(n, a, status), id: n.id });
        this.q.timeline.run(timelineRow(entry));
        return status;
      }),
    )();
  }
}
