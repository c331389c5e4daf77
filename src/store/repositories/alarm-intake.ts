import { setImmediate as nextTurn } from 'node:timers/promises';
import type SQLite from 'better-sqlite3';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { AlarmKind, Severity } from '../../domain/alarm.ts';
import type { Location } from '../../domain/wire.ts';
import type { Database } from '../schema.ts';
import { SqlitePressWriter } from './alarm-intake-sqlite.ts';
import { newAlarmRow, pressJoinedEntry } from './alarm-press-rows.ts';

export interface AlarmPress {
  deviceId: string;
  /** The device's own alarm id; for an unreadable payload, a hash of its bytes. */
  deviceAlarmId: string;
  kind: AlarmKind;
  test: boolean;
  /** Device time of the press (after clock normalisation). */
  raisedAt: number;
  receivedAt: number;
  clockSuspect: boolean;
  beneficiaryId: string | null;
  loc?: Location | undefined;
  note?: string | undefined;
  /** Base64 of the raw payload, kept for unreadable alarms (P2). */
  raw?: string | undefined;
  /** The protocol frame (hex) of a device behind a protocol gateway (issue 17). */
  frameHex?: string | undefined;
  /** The device's own time when it was replaced as suspect (null: not a time at all); shown to operators. */
  deviceTime?: number | null | undefined;
}

export interface PressOutcome {
  /** opened: a new alarm; joined: a repeat press on an open alarm; duplicate: a retransmission. */
  outcome: 'opened' | 'joined' | 'duplicate';
  alarmId: string;
  severity: Severity;
  pressCount: number;
}

/**
 * P1: the transaction that makes presses durable. Ingest calls it before the devices get their
 * PUBACKs; a retransmission (same device alarm id) finds its press and stores nothing new.
 */
export class AlarmIntake {
  private readonly sqlite: SqlitePressWriter | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    sqlite?: SQLite.Database,
  ) {
    this.sqlite = sqlite ? new SqlitePressWriter(sqlite) : undefined;
  }

  async record(p: AlarmPress): Promise<PressOutcome> {
    return this.db.transaction().execute((trx) => this.recordIn(trx, p));
  }

  /**
   * Several presses in one transaction, so they share one durable commit (one fsync) instead of
   * paying one each; in order, so a repeat press in the same batch joins the alarm opened by an
   * earlier one and a retransmission in the same batch is recognised. All or none are stored.
   */
  async recordMany(presses: readonly AlarmPress[]): Promise<PressOutcome[]> {
    if (this.sqlite) {
      // Another part's transaction may be open for a few turns of the event loop; after that,
      // wait for the connection in line like everyone else.
      for (let turn = 0; turn < 50; turn++) {
        const outcomes = this.sqlite.tryRecordMany(presses);
        if (outcomes) return outcomes;
        await nextTurn();
      }
    }
    return this.db.transaction().execute(async (trx) => {
      const outcomes: PressOutcome[] = [];
      for (const p of presses) outcomes.push(await this.recordIn(trx, p));
      return outcomes;
    });
  }

  /**
   * One press, exact under concurrency (issue 13): the open alarm is found or opened by one
   * statement that the database serialises on the unique index of open alarms per device and kind
   * (src/store/migrations/002-alarms.ts), the count is incremented in SQL, and a joined press is
   * put on the timeline in the same transaction — so two nodes (or two commits on one node) that
   * join presses at once both count, and a crash after the commit loses no joined press from the
   * timeline. A retransmission racing its original in another transaction fails on the presses'
   * primary key and is retried alone by the caller (src/ingest/alarm-commits.ts), which then sees
   * it as a duplicate.
   */
  private async recordIn(trx: Transaction<Database>, p: AlarmPress): Promise<PressOutcome> {
    const seen = await trx
      .selectFrom('alarm_presses')
      .innerJoin('alarms', 'alarms.id', 'alarm_presses.alarm_id')
      .select(['alarms.id', 'alarms.severity', 'alarms.press_count'])
      .where('alarm_presses.device_id', '=', p.deviceId)
      .where('alarm_presses.device_alarm_id', '=', p.deviceAlarmId)
      .executeTakeFirst();
    if (seen) return { outcome: 'duplicate', alarmId: seen.id, severity: seen.severity as Severity, pressCount: seen.press_count };

    const row = newAlarmRow(p);
    const upserted = await trx
      .insertInto('alarms')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['device_id', 'kind'])
          // A literal, not a parameter: SQLite matches the partial index by its predicate's text.
          .where(sql<boolean>`state <> 'resolved'`)
          .doUpdateSet((eb) => ({
            press_count: eb('alarms.press_count', '+', 1),
            last_press_at: eb.ref('excluded.received_at'),
            updated_at: eb.ref('excluded.received_at'),
          })),
      )
      .returning(['id', 'severity', 'press_count'])
      .executeTakeFirstOrThrow();
    const opened = upserted.id === row.id;
    const result: PressOutcome = {
      outcome: opened ? 'opened' : 'joined',
      alarmId: upserted.id,
      severity: upserted.severity as Severity,
      pressCount: upserted.press_count,
    };
    await trx
      .insertInto('alarm_presses')
      .values({
        device_id: p.deviceId,
        device_alarm_id: p.deviceAlarmId,
        alarm_id: result.alarmId,
        device_ts: p.raisedAt,
        received_at: p.receivedAt,
      })
      .execute();
    if (!opened)
      await trx
        .insertInto('alarm_timeline')
        .values(pressJoinedEntry(result.alarmId, result.pressCount, p))
        .execute();
    return result;
  }
}
