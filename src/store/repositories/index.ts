import type { Clock } from '../../platform/clock.ts';
import { BadRows } from '../bad-rows.ts';
import type { Store } from '../database.ts';
import { AlarmIntake } from './alarm-intake.ts';
import { AuditLog } from './audit.ts';
import { BeneficiaryRepository } from './beneficiaries.ts';
import { ContactRepository } from './contacts.ts';
import { DatabaseScope } from './database-scope.ts';
import { DeviceModelRepository } from './device-models.ts';
import { DeviceRepository } from './devices.ts';
import { CentreOutageRepository } from './health-centre-outages.ts';
import { IncidentRepository } from './health-incidents.ts';
import { JobRunRepository } from './health-job-runs.ts';
import { LivenessRepository } from './health-liveness.ts';
import { MaintenanceRepository } from './health-maintenance.ts';
import { ProtectionGapRepository } from './health-protection-gaps.ts';
import { HealthReportRepository } from './health-reports.ts';
import { SupervisedDeviceRepository } from './health-supervised-devices.ts';
import { HealthTelemetryRepository } from './health-telemetry.ts';
import { ResponderRepository } from './responders.ts';
import { UserRepository } from './users.ts';

export function createRepositories(store: Store, clock: Clock) {
  const audit = new AuditLog(store.db, store.engine, clock);
  const badRows = new BadRows();
  return {
    audit,
    alarmIntake: new AlarmIntake(store.db),
    deviceModels: new DeviceModelRepository(store.db, clock),
    devices: new DeviceRepository(store.db, audit, clock),
    beneficiaries: new BeneficiaryRepository(store.db, audit, clock),
    contacts: new ContactRepository(store.db, audit, clock),
    responders: new ResponderRepository(store.db, audit, clock),
    users: new UserRepository(store.db, audit, clock),
    badRows,
    databaseScope: new DatabaseScope(store.db, store.engine),
    supervisedDevices: new SupervisedDeviceRepository(store.db, badRows),
    liveness: new LivenessRepository(store.db, store.sqlite, badRows),
    incidents: new IncidentRepository(store.db, badRows),
    protectionGaps: new ProtectionGapRepository(store.db),
    centreOutages: new CentreOutageRepository(store.db),
    maintenance: new MaintenanceRepository(store.db, badRows),
    jobRuns: new JobRunRepository(store.db),
    healthTelemetry: new HealthTelemetryRepository(store.db, store.sqlite, badRows),
    healthReports: new HealthReportRepository(store.db, badRows),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
export type { AlarmPress, PressOutcome } from './alarm-intake.ts';
export type { AuditEntry, VerifyResult } from './audit.ts';
export { AuditLog } from './audit.ts';
export type { DeviceFilter } from './devices.ts';
export type { RegistryCursor } from './health-supervised-devices.ts';
export type { Principal, User } from './users.ts';
