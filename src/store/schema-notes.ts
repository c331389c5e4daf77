import type { Generated } from 'kysely';

/** Tables of migration 011-alarm-notes (and 019-alarm-note-order). Times are epoch milliseconds. */

/**
 * A note or a call an operator logged on an alarm. A call has callee, phone and outcome. `seq`
 * is the order it was recorded in, which orders notes of the same millisecond.
 */
export interface AlarmNoteTable {
  seq: number;
  id: string;
  alarm_id: string;
  at: number;
  author_id: string;
  kind: string;
  text: string | null;
  callee: string | null;
  phone: string | null;
  call_outcome: string | null;
}

/** An address registered for a person (home, work…), with coordinates when known. */
export interface BeneficiaryAddressTable {
  id: string;
  beneficiary_id: string;
  label: string;
  line: string;
  municipality: string | null;
  state_code: string;
  lat: number | null;
  lon: number | null;
  created_at: number;
}

export interface NotesTables {
  alarm_notes: Omit<AlarmNoteTable, 'seq'> & { seq: Generated<number> };
  beneficiary_addresses: BeneficiaryAddressTable;
}
