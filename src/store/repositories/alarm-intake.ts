import { setImmediate as nextTurn } from 'node:timers/promises';
import type SQLite from 'better-sqlite3';
import type { Kysely, Transaction } from 'kysely';
import { type AlarmKind, initialSeverity, type Severity } from '../../domain/alarm.ts';
import type { Location } from '../../domain/wire.ts';
import { alarmRow } from '../alarm-row.ts';
import { newId } from '../ids.ts';
import type { Database } from '../schema.ts';
import { SqlitePressWriter } from './alarm-intake-sqlite.ts';

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

  private async recordIn(trx: Transaction<Database>, p: AlarmPress): Promise<PressOutcome> {
    const seen = await trx
      .selectFrom('alarm_presses')
      .innerJoin('alarms', 'alarms.id', 'alarm_presses.alarm_id')
      .select(['alarms.id', 'alarms.severity', 'alarms.press_count'])
      .where('alarm_presses.device_id', '=', p.deviceId)
      .where('alarm_presses.device_alarm_id', '=', p.deviceAlarmId)
      .executeTakeFirst();
    if (seen) return { outcome: 'duplicate', alarmId: seen.id, severity: seen.severity as Severity, pressCount: seen.press_count };

    const open = await trx
      .selectFrom('alarms')
      .select(['id', 'severity', 'press_count'])
      .where('device_id', '=', p.deviceId)
      .where('kind', '=', p.kind)
      .where('state', '<>', 'resolved')
      .executeTakeFirst();

    let result: PressOutcome;
    if (open) {
      await trx
        .updateTable('alarms')
        .set({ press_count: open.press_count + 1, last_press_at: p.receivedAt, updated_at: p.receivedAt })
        .where('id', '=', open.id)
        .execute();
      result = { outcome: 'joined', alarmId: open.id, severity: open.severity as Severity, pressCount: open.press_count + 1 };
    } else {
      const severity = initialSeverity(p.kind, p.test);
      const id = newId('alm');
      await trx
        .insertInto('alarms')
        .values(
          alarmRow({
            id,
            device_id: p.deviceId,
            beneficiary_id: p.beneficiaryId,
            kind: p.kind,
            severity,
            test: p.test || p.kind === 'test' ? 1 : 0,
            raised_at: p.raisedAt,
            received_at: p.receivedAt,
            clock_suspect: p.clockSuspect ? 1 : 0,
            loc: p.loc ? JSON.stringify(p.loc) : null,
            note: p.note ?? null,
            raw: p.raw ?? null,
            frame_hex: p.frameHex ?? null,
          }),
        )
        .execute();
      result = { outcome: 'opened', alarmId: id, severity, pressCount: 1 };
    }
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
    return result;
  }
}
