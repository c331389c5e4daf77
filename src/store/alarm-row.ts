import type { AlarmTable } from './schema.ts';

/** What is known when an alarm is created; everything else starts empty. */
export type NewAlarm = Pick<
  AlarmTable,
  'id' | 'device_id' | 'beneficiary_id' | 'kind' | 'severity' | 'test' | 'raised_at' | 'received_at'
> &
  Partial<AlarmTable>;

/** A complete `alarms` row: an open alarm with no lifecycle yet, unless `alarm` says otherwise. */
export function alarmRow(alarm: NewAlarm): AlarmTable {
  return {
    state: 'open',
    clock_suspect: 0,
    loc: null,
    note: null,
    raw: null,
    frame_hex: null,
    press_count: 1,
    last_press_at: alarm.received_at,
    policy: null,
    acknowledged_at: null,
    acknowledged_by: null,
    dispatched_at: null,
    dispatched_by: null,
    on_scene_at: null,
    on_scene_by: null,
    resolved_at: null,
    resolved_by: null,
    outcome: null,
    resolution_note: null,
    updated_at: alarm.received_at,
    ...alarm,
  };
}
