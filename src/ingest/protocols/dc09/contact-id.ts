import type { AlarmPayload, DeviceEventKind } from '../../../domain/wire.ts';

/**
 * Ademco Contact ID inside DC-09's `ADM-CID` (docs/protocols.md "Contact ID"): `[#acct|]QEEE GG ZZZ`
 * — qualifier (1 new event, 3 restoral, 6 still present), event code, partition, zone or user.
 */
export interface ContactId {
  qualifier: '1' | '3' | '6';
  code: string;
  partition: string;
  zone: string;
}

const CID = /^(?:#[0-9A-F]{3,16}\|)?([136])(\d{3}) ([0-9A-F]{2}) ([0-9A-F]{3})$/;

export function parseContactId(data: string): ContactId | undefined {
  const m = CID.exec(data);
  return m
    ? { qualifier: m[1] as ContactId['qualifier'], code: m[2] as string, partition: m[3] as string, zone: m[4] as string }
    : undefined;
}

export type CidMeaning =
  | { type: 'alarm'; kind: AlarmPayload['kind']; note: string }
  | { type: 'event'; kind: DeviceEventKind; note: string }
  /** Proof of life with nothing to store (periodic test, restorals of alarms, status). */
  | { type: 'alive'; note: string };

const ALARMS: Record<string, AlarmPayload['kind']> = {
  '120': 'panic',
  '121': 'duress',
  '122': 'panic',
  '123': 'panic',
  '130': 'intrusion',
  '131': 'intrusion',
  '132': 'intrusion',
  '133': 'intrusion',
  '134': 'intrusion',
  '137': 'tamper',
  '144': 'tamper',
  '145': 'tamper',
  '601': 'test',
};
const EVENTS: Record<string, DeviceEventKind> = {
  '301': 'power_lost',
  '302': 'low_battery',
  '309': 'low_battery',
  '311': 'low_battery',
  '383': 'tamper',
  '305': 'reboot',
};
const NAMES: Record<string, string> = {
  '120': 'panic',
  '121': 'duress',
  '122': 'silent panic',
  '123': 'audible panic',
  '130': 'burglary',
  '137': 'tamper',
  '301': 'AC loss',
  '302': 'low system battery',
  '602': 'periodic test',
  '601': 'manual test',
};

/**
 * What a Contact ID event means to Centinela. P2: any other new event in the alarm range
 * (1xx: fire, medical, panic variants…) is raised as a panic rather than dropped.
 */
export function meaningOf(c: ContactId): CidMeaning {
  const note = `Contact ID ${c.qualifier}${c.code} ${NAMES[c.code] ?? ''} partition ${c.partition} zone ${c.zone}`.replace(/ {2}/, ' ');
  if (c.qualifier === '3') return c.code === '301' ? { type: 'event', kind: 'power_restored', note } : { type: 'alive', note };
  if (c.qualifier === '6') return { type: 'alive', note };
  const alarm = ALARMS[c.code];
  if (alarm) return { type: 'alarm', kind: alarm, note };
  const event = EVENTS[c.code];
  if (event) return { type: 'event', kind: event, note };
  if (c.code.startsWith('1')) return { type: 'alarm', kind: 'panic', note };
  return { type: 'alive', note };
}
