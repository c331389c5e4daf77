import type SQLite from 'better-sqlite3';
import { initialSeverity, type Severity } from '../../domain/alarm.ts';
import { alarmRow } from '../alarm-row.ts';
import { newId } from '../ids.ts';
import type { AlarmPress, PressOutcome } from './alarm-intake.ts';

/**
 * The SQLite form of `AlarmIntake.recordMany`: the same rows, written with prepared statements in
 * one better-sqlite3 transaction — synchronous, a few microseconds per press instead of going
 * through the query builder, and never waiting in line behind other parts' transactions.
 * PostgreSQL uses the portable path; the ingest tests run on both engines.
 */
export class SqlitePressWriter {
  private readonly seen: SQLite.Statement;
  private readonly open: SQLite.Statement;
  private readonly join: SQLite.Statement;
  private readonly insertPress: SQLite.Statement;
  private insertAlarm: SQLite.Statement | undefined;

  constructor(private readonly db: SQLite.Database) {
    this.seen = db.prepare(
      `select alarms.id as id, alarms.severity as severity, alarms.press_count as press_count from alarm_presses
       inner join alarms on alarms.id = alarm_presses.alarm_id where alarm_presses.device_id = ? and alarm_presses.device_alarm_id = ?`,
    );
    this.open = db.prepare(`select id, severity, press_count from alarms where device_id = ? and kind = ? and state <> 'resolved'`);
    this.join = db.prepare('update alarms set press_count = ?, last_press_at = ?, updated_at = ? where id = ?');
    this.insertPress = db.prepare(
      'insert into alarm_presses (device_id, device_alarm_id, alarm_id, device_ts, received_at) values (?, ?, ?, ?, ?)',
    );
  }

  /**
   * Stores the presses in one transaction, or answers undefined without touching anything when a
   * transaction of the query builder is open on the connection: statements run now would join it
   * (and be committed, or rolled back, with it) — the caller tries again on the next turn.
   */
  tryRecordMany(presses: readonly AlarmPress[]): PressOutcome[] | undefined {
    if (this.db.inTransaction) return undefined;
    return this.db.transaction(() => presses.map((p) => this.recordOne(p)))();
  }

  private recordOne(p: AlarmPress): PressOutcome {
    type Found = { id: string; severity: string; press_count: number } | undefined;
    const seen = this.seen.get(p.deviceId, p.deviceAlarmId) as Found;
    if (seen) return { outcome: 'duplicate', alarmId: seen.id, severity: seen.severity as Severity, pressCount: seen.press_count };
    const open = this.open.get(p.deviceId, p.kind) as Found;
    let result: PressOutcome;
    if (open) {
      this.join.run(open.press_count + 1, p.receivedAt, p.receivedAt, open.id);
      result = { outcome: 'joined', alarmId: open.id, severity: open.severity as Severity, pressCount: open.press_count + 1 };
    } else {
      const severity = initialSeverity(p.kind, p.test);
      const row = alarmRow({
        id: newId('alm'),
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
      });
      this.insertAlarm ??= this.db.prepare(
        `insert into alarms (${Object.keys(row).join(', ')}) values (${Object.keys(row)
          .map((c) => `@${c}`)
          .join(', ')})`,
      );
      this.insertAlarm.run(row);
      result = { outcome: 'opened', alarmId: row.id, severity, pressCount: 1 };
    }
    this.insertPress.run(p.deviceId, p.deviceAlarmId, result.alarmId, p.raisedAt, p.receivedAt);
    return result;
  }
}
