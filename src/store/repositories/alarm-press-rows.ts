import { initialSeverity } from '../../domain/alarm.ts';
import { alarmRow } from '../alarm-row.ts';
import { newId } from '../ids.ts';
import type { AlarmPress } from './alarm-intake.ts';

/** The row of the alarm a press opens when none of its device and kind is open. */
export function newAlarmRow(p: AlarmPress) {
  return alarmRow({
    id: newId('alm'),
    device_id: p.deviceId,
    beneficiary_id: p.beneficiaryId,
    kind: p.kind,
    severity: initialSeverity(p.kind, p.test),
    test: p.test || p.kind === 'test' ? 1 : 0,
    raised_at: p.raisedAt,
    received_at: p.receivedAt,
    clock_suspect: p.clockSuspect ? 1 : 0,
    loc: p.loc ? JSON.stringify(p.loc) : null,
    note: p.note ?? null,
    raw: p.raw ?? null,
    frame_hex: p.frameHex ?? null,
    // Stored with the alarm, before its PUBACK: what the device claimed survives a crash that
    // comes before the alerts engine hears of the alarm. Always present, so the SQLite insert's
    // prepared column list never changes.
    device_reported_at: p.clockSuspect ? (p.deviceTime ?? null) : null,
  });
}

/**
 * A repeat press on the alarm's timeline (what the case review and evidence export show), with
 * what the device sent that the alarm's row keeps only for its first press: where it was, its
 * note, and the message itself — the protocol frame of a gateway device, the bytes of an
 * unreadable payload (issue 17).
 */
export function pressJoinedEntry(alarmId: string, pressCount: number, p: AlarmPress) {
  return {
    alarm_id: alarmId,
    at: p.receivedAt,
    kind: 'press_joined',
    actor: 'device',
    detail: JSON.stringify({
      pressCount,
      pressedAt: p.receivedAt,
      ...(p.loc ? { loc: p.loc } : {}),
      ...(p.note ? { note: p.note } : {}),
      ...(p.frameHex ? { frameHex: p.frameHex } : {}),
      ...(p.raw ? { raw: p.raw } : {}),
    }),
  };
}
