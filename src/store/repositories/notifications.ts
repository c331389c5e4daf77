import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { StepChannel } from '../../domain/escalation.ts';
import type { GroupCommit } from '../../platform/index.ts';
import { newId } from '../ids.ts';
import { type Checked, mapEach } from '../row-check.ts';
import type { Database } from '../schema.ts';
import type { NotificationTable } from '../schema-alerts.ts';
import { type Tx, timelineRow } from './alarms.ts';
import { attemptCommits } from './attempt-commits.ts';
import {
  type AttemptResult,
  attemptChange,
  attemptRow,
  type NewNotification,
  type Notification,
  type NotificationAttempt,
  notificationRow,
  statusAfter,
  toNotification,
} from './notification-rows.ts';
import { type AttemptRecord, SqliteOutbox } from './outbox-sqlite.ts';

export {
  type AttemptResult,
  type NewNotification,
  type Notification,
  type NotificationAttempt,
  notificationRow,
  RECIPIENT_TYPES,
  type RecipientType,
} from './notification-rows.ts';

type Db = Kysely<Database> | Tx;

/**
 * The notification outbox: a message is queued in the transaction that decides it, and the
 * sender delivers it later. Rows are claimed with a conditional UPDATE and a lease, so a node
 * that dies mid-send loses its claim and the message is sent again (at least once).
 */
export class NotificationOutbox {
  private prepared: { outbox: SqliteOutbox; attempts: GroupCommit<AttemptRecord, string> } | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    /** SQLite: claims and attempts with prepared statements (outbox-sqlite.ts). */
    private readonly sqlite?: SQLite.Database,
  ) {}

  /** Prepared on first use, once the migrations have made the tables. */
  private onSqlite(): { outbox: SqliteOutbox; attempts: GroupCommit<AttemptRecord, string> } | undefined {
    if (this.sqlite && !this.prepared) {
      const outbox = new SqliteOutbox(this.sqlite);
      this.prepared = { outbox, attempts: attemptCommits(outbox, (r) => this.recordAttemptPortably(r)) };
    }
    return this.prepared;
  }

  async queue(tx: Db, n: NewNotification, now: number): Promise<string> {
    const id = newId('ntf');
    await tx
      .insertInto('notifications')
      .values(notificationRow(id, n, now))
      .execute();
    return id;
  }

  /** Cancels an alarm's queued messages: those marked until-acknowledged, or `everything`. */
  async cancel(tx: Tx, alarmId: string, now: number, everything: boolean): Promise<number> {
    let q = tx
      .updateTable('notifications')
      .set({ status: 'cancelled', updated_at: now, next_attempt_at: null })
      .where('alarm_id', '=', alarmId)
      .where('status', 'in', ['queued', 'retry']);
    if (!everything) q = q.where('until_ack', '=', 1);
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  /**
   * Claims the messages due now (queued, to retry, or whose sender's lease ran out) in one
   * transaction; the conditional UPDATE keeps two nodes from claiming the same row.
   */
  async claimDue(now: number, leaseMs: number, limit: number): Promise<Checked<Notification>> {
    const claimed = this.onSqlite()?.outbox.tryClaimDue(now, leaseMs, limit);
    if (claimed) return claimed;
    const candidates = await this.db
      .selectFrom('notifications')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', 'in', ['queued', 'retry']), eb('next_attempt_at', '<=', now)]),
          eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)]),
        ]),
      )
      .orderBy('created_at')
      .limit(limit)
      .execute();
    if (candidates.length === 0) return { items: [], bad: [] };
    const rows = await this.db.transaction().execute(async (trx) => {
      const out: NotificationTable[] = [];
      for (const { id } of candidates) {
        // A fresh attempt starts its window now, unless an earlier one is still in doubt.
        let res = await trx
          .updateTable('notifications')
          .set((eb) => ({
            status: 'sending',
            lease_until: now + leaseMs,
            updated_at: now,
            sending_since: eb.case().when('in_doubt', '=', 1).then(eb.ref('sending_since')).else(now).end(),
          }))
          .where('id', '=', id)
          .where('status', 'in', ['queued', 'retry'])
          .executeTakeFirst();
        // A lease that ran out: its sender died mid-request, so the message may have gone out.
        if (Number(res.numUpdatedRows) === 0)
          res = await trx
            .updateTable('notifications')
            .set({ status: 'sending', lease_until: now + leaseMs, updated_at: now, in_doubt: 1 })
            .where('id', '=', id)
            .where('status', '=', 'sending')
            .where('lease_until', '<', now)
            .executeTakeFirst();
        if (Number(res.numUpdatedRows) === 1)
          out.push(await trx.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
      }
      return out;
    });
    return mapEach(rows, toNotification);
  }

  /** Gives up on a message that cannot be read, so the sender does not claim it again. */
  async markUnreadable(id: string, now: number): Promise<void> {
    await this.db
      .updateTable('notifications')
      .set({ status: 'failed', lease_until: null, next_attempt_at: null, last_error: 'unreadable row', updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Records one delivery attempt. A provider callback may have overtaken the sender (delivered
   * before `sent` was recorded): the later state is kept. Returns the message's status now.
   */
  async recordAttempt(tx: Tx, n: Notification, a: AttemptResult): Promise<string> {
    await tx.insertInto('notification_attempts').values(attemptRow(n, a)).execute();
    const current = await tx.selectFrom('notifications').select('status').where('id', '=', n.id).executeTakeFirstOrThrow();
    const status = statusAfter(current.status, a);
    await tx
      .updateTable('notifications')
      .set(attemptChange(n, a, status))
      .where('id', '=', n.id)
      .execute();
    return status;
  }

  /**
   * Records an attempt and the timeline entry that tells it, committed together; on SQLite with
   * the other attempts recorded in the same turn (attempt-commits.ts). Returns the message's status now.
   */
  recordAttemptNoted(record: AttemptRecord): Promise<string> {
    return this.onSqlite()?.attempts.submit(record) ?? this.recordAttemptPortably(record);
  }

  private recordAttemptPortably({ n, a, entry }: AttemptRecord): Promise<string> {
    return this.db.transaction().execute(async (tx) => {
      const status = await this.recordAttempt(tx, n, a);
      await tx.insertInto('alarm_timeline').values(timelineRow(entry)).execute();
      return status;
    });
  }

  async get(id: string, tx: Db = this.db): Promise<Notification | undefined> {
    const row = await tx.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toNotification(row) : undefined;
  }

  /** The voice call already standing in for an SMS, if any. */
  async fallbackFor(smsId: string, tx: Db = this.db): Promise<string | undefined> {
    const row = await tx.selectFrom('notifications').select('id').where('fallback_of', '=', smsId).executeTakeFirst();
    return row?.id;
  }

  /** Messages on this channel waiting to be retried (a provider that failed them is still failing them). */
  async retrying(channel: StepChannel): Promise<number> {
    const row = await this.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'retry')
      .where('channel', '=', channel)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** When another call of this alarm to this number was last placed, if ever. */
  async lastCallTo(alarmId: string, address: string, exceptId: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('notification_attempts')
      .innerJoin('notifications', 'notifications.id', 'notification_attempts.notification_id')
      .select((eb) => eb.fn.max('notification_attempts.at').as('at'))
      .where('notifications.alarm_id', '=', alarmId)
      .where('notifications.channel', '=', 'voice')
      .where('notifications.address', '=', address)
      .where('notifications.id', '!=', exceptId)
      .where('notification_attempts.status', '=', 'calling')
      .executeTakeFirst();
    return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
  }

  /** Stops a claimed message without an attempt (its alarm no longer wants it). */
  async stop(id: string, status: string, now: number): Promise<void> {
    await this.db
      .updateTable('notifications')
      .set({ status, lease_until: null, next_attempt_at: null, in_doubt: 0, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .execute();
  }

  /**
   * People of unresolved alarms still waiting for a message on this channel (queued, being sent
   * or to retry), counted once each however many messages wait for them.
   */
  async unreached(channel: StepChannel): Promise<number> {
    const row = await this.db
      .selectFrom('notifications')
      .innerJoin('alarms', 'alarms.id', 'notifications.alarm_id')
      .select((eb) => eb.fn.count<number>(eb.fn.coalesce('notifications.recipient_id', 'notifications.address')).distinct().as('n'))
      .where('notifications.channel', '=', channel)
      .where('notifications.status', 'in', ['queued', 'sending', 'retry'])
      .where('notifications.reached_at', 'is', null)
      .where('alarms.state', '!=', 'resolved')
      // Someone reached by another message of the same alarm (the call that stood in) is not waiting.
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('notifications as reached')
              .select('reached.id')
              .whereRef('reached.alarm_id', '=', 'notifications.alarm_id')
              .whereRef(
                (eb) => eb.fn.coalesce('reached.recipient_id', 'reached.address'),
                '=',
                (eb) => eb.fn.coalesce('notifications.recipient_id', 'notifications.address'),
              )
              .where('reached.reached_at', 'is not', null),
          ),
        ),
      )
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async byProviderId(providerId: string): Promise<Notification | undefined> {
    const row = await this.db.selectFrom('notifications').selectAll().where('provider_id', '=', providerId).executeTakeFirst();
    return row ? toNotification(row) : undefined;
  }

  /** A provider's news about a message: its status, when it reached the person, its error. */
  async setStatus(id: string, change: { status: string; reachedAt?: number; lastError?: string }, now: number): Promise<void> {
    await this.db
      .updateTable('notifications')
      .set({
        status: change.status,
        updated_at: now,
        ...(change.reachedAt !== undefined ? { reached_at: change.reachedAt } : {}),
        ...(change.lastError !== undefined ? { last_error: change.lastError } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  /** The newest open alarm a staff member was paged about (an SMS reply acknowledges it). */
  async newestOpenAlarmPagedTo(userId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('notifications')
      .innerJoin('alarms', 'alarms.id', 'notifications.alarm_id')
      .select(['alarms.id as alarmId'])
      .where('notifications.recipient_type', '=', 'user')
      .where('notifications.recipient_id', '=', userId)
      .where('alarms.state', '=', 'open')
      .orderBy('notifications.created_at', 'desc')
      .executeTakeFirst();
    return row?.alarmId;
  }

  /**
   * Issue 15: the alarms a staff member was paged about by SMS at this very number, newest first,
   * with their state: an SMS reply may only answer one of these.
   */
  async alarmsPagedBySms(userId: string, address: string, limit = 200): Promise<{ alarmId: string; state: string }[]> {
    const rows = await this.db
      .selectFrom('notifications')
      .innerJoin('alarms', 'alarms.id', 'notifications.alarm_id')
      .select(['alarms.id as alarmId', 'alarms.state as state'])
      .where('notifications.recipient_type', '=', 'user')
      .where('notifications.recipient_id', '=', userId)
      .where('notifications.channel', '=', 'sms')
      .where('notifications.address', '=', address)
      .orderBy('notifications.created_at', 'desc')
      .limit(limit)
      .execute();
    const seen = new Set<string>();
    return rows.filter((r) => !seen.has(r.alarmId) && seen.add(r.alarmId) !== undefined);
  }

  /** An alarm's messages in the order they were queued, each with every attempt. */
  async ofAlarm(alarmId: string): Promise<(Notification & { history: NotificationAttempt[] })[]> {
    const rows = await this.db
      .selectFrom('notifications')
      .selectAll()
      .where('alarm_id', '=', alarmId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const attempts = rows.length
      ? await this.db
          .selectFrom('notification_attempts')
          .selectAll()
          .where(
            'notification_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('attempt')
          .execute()
      : [];
    return rows.map((r) => ({
      ...toNotification(r),
      history: attempts
        .filter((a) => a.notification_id === r.id)
        .map((a) => ({
          attempt: a.attempt,
          at: a.at,
          status: a.status,
          httpStatus: a.http_status,
          providerId: a.provider_id,
          error: a.error,
        })),
    }));
  }
}
