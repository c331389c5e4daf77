import type { Clock } from '../../platform/clock.ts';
import type { Store } from '../database.ts';
import { AlarmHistoryRepository } from './alarm-history.ts';
import { AlarmIntake } from './alarm-intake.ts';
import { AlarmNoteRepository } from './alarm-notes.ts';
import { AuditLog } from './audit.ts';
import { BeneficiaryRepository } from './beneficiaries.ts';
import { BeneficiaryAddressRepository } from './beneficiary-addresses.ts';
import { ContactRepository } from './contacts.ts';
import { DeviceModelRepository } from './device-models.ts';
import { DeviceRepository } from './devices.ts';
import { ResponderRepository } from './responders.ts';
import { UserRepository } from './users.ts';

export function createRepositories(store: Store, clock: Clock) {
  const audit = new AuditLog(store.db, store.engine, clock);
  return {
    audit,
    alarmIntake: new AlarmIntake(store.db),
    deviceModels: new DeviceModelRepository(store.db, clock),
    devices: new DeviceRepository(store.db, audit, clock),
    beneficiaries: new BeneficiaryRepository(store.db, audit, clock),
    contacts: new ContactRepository(store.db, audit, clock),
    responders: new ResponderRepository(store.db, audit, clock),
    users: new UserRepository(store.db, audit, clock),
    alarmNotes: new AlarmNoteRepository(store.db, audit, clock),
    alarmHistory: new AlarmHistoryRepository(store.db, audit),
    addresses: new BeneficiaryAddressRepository(store.db, audit, clock),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
export type { AlarmPress, PressOutcome } from './alarm-intake.ts';
export type { AuditEntry, VerifyResult } from './audit.ts';
export { AuditLog } from './audit.ts';
export type { DeviceFilter } from './devices.ts';
export type { Principal, User } from './users.ts';
