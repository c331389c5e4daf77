import type { Clock } from '../../platform/clock.ts';
import type { Store } from '../database.ts';
import { BadRows } from '../row-check.ts';
import { ActionPlanRepository } from './action-plans.ts';
import { AlarmHistoryRepository } from './alarm-history.ts';
import { AlarmIntake } from './alarm-intake.ts';
import { AlarmNoteRepository } from './alarm-notes.ts';
import { SqliteAlarmOpening } from './alarm-opening-sqlite.ts';
import { AlarmRepository } from './alarms.ts';
import { AuditLog } from './audit.ts';
import { BeneficiaryRepository } from './beneficiaries.ts';
import { BeneficiaryAddressEdits } from './beneficiary-address-edits.ts';
import { BeneficiaryAddressRepository } from './beneficiary-addresses.ts';
import { BeneficiaryAliases } from './beneficiary-aliases.ts';
import { CaseReviewSuggestionRepository } from './case-review-suggestions.ts';
import { CaseReviewRepository } from './case-reviews.ts';
import { CheckInTimerRepository } from './check-in-timers.ts';
import { ConsoleSessionRepository } from './console-sessions.ts';
import { ContactRepository } from './contacts.ts';
import { DatabaseScope } from './database-scope.ts';
import { DeviceModelRepository } from './device-models.ts';
import { DevicePathRepository } from './device-paths.ts';
import { DeviceRepository } from './devices.ts';
import { EscalationStepRepository } from './escalation-steps.ts';
import { GatewayRepository } from './gateways.ts';
import { CentreOutageRepository } from './health-centre-outages.ts';
import { IncidentRepository } from './health-incidents.ts';
import { JobRunRepository } from './health-job-runs.ts';
import { LivenessRepository } from './health-liveness.ts';
import { MaintenanceRepository } from './health-maintenance.ts';
import { ProtectionGapRepository } from './health-protection-gaps.ts';
import { HealthReportRepository } from './health-reports.ts';
import { SupervisedDeviceRepository } from './health-supervised-devices.ts';
import { HealthTelemetryRepository } from './health-telemetry.ts';
import { ImportRepository } from './imports.ts';
import { InboundReplyRepository } from './inbound-replies.ts';
import { IngestErrorRepository } from './ingest-errors.ts';
import { NotificationOutbox } from './notifications.ts';
import { PathReportRepository } from './path-reports.ts';
import { RecipientDirectory } from './recipients.ts';
import { ResponderRepository } from './responders.ts';
import { SecurityAnswerRepository } from './security-answers.ts';
import { UserRepository } from './users.ts';

export function createRepositories(store: Store, clock: Clock) {
  const audit = new AuditLog(store.db, store.engine, clock);
  const badRows = new BadRows();
  let opening: SqliteAlarmOpening | undefined;
  return {
    /**
     * SQLite only: an alarm's opening as one prepared transaction (alarm-opening-sqlite.ts).
     * Prepared on first use, once the migrations have made the tables.
     */
    sqliteAlarmOpening: (): SqliteAlarmOpening | undefined => {
      if (store.sqlite && !opening) opening = new SqliteAlarmOpening(store.sqlite);
      return opening;
    },
    audit,
    alarmIntake: new AlarmIntake(store.db, store.sqlite),
    deviceModels: new DeviceModelRepository(store.db, clock),
    devices: new DeviceRepository(store.db, audit, clock, store.sqlite),
    beneficiaries: new BeneficiaryRepository(store.db, audit, clock),
    contacts: new ContactRepository(store.db, audit, clock),
    responders: new ResponderRepository(store.db, audit, clock),
    users: new UserRepository(store.db, audit, clock),
    consoleSessions: new ConsoleSessionRepository(store.db),
    beneficiaryAliases: new BeneficiaryAliases(store.db, audit),
    gateways: new GatewayRepository(store.db, audit, clock, store.sqlite),
    ingestErrors: new IngestErrorRepository(store.db),
    alarms: new AlarmRepository(store.db),
    escalationSteps: new EscalationStepRepository(store.db, store.engine, store.sqlite),
    outbox: new NotificationOutbox(store.db, store.sqlite),
    recipients: new RecipientDirectory(),
    caseReviews: new CaseReviewRepository(store.db),
    caseReviewSuggestions: new CaseReviewSuggestionRepository(store.db, audit),
    badRows,
    databaseScope: new DatabaseScope(store.db, store.engine),
    supervisedDevices: new SupervisedDeviceRepository(store.db, badRows),
    liveness: new LivenessRepository(store.db, store.sqlite, badRows),
    incidents: new IncidentRepository(store.db, badRows),
    protectionGaps: new ProtectionGapRepository(store.db),
    centreOutages: new CentreOutageRepository(store.db),
    maintenance: new MaintenanceRepository(store.db, badRows, audit),
    jobRuns: new JobRunRepository(store.db),
    healthTelemetry: new HealthTelemetryRepository(store.db, store.sqlite, badRows),
    healthReports: new HealthReportRepository(store.db, badRows),
    pathReports: new PathReportRepository(store.db, badRows),
    imports: new ImportRepository(store.db, audit, clock),
    addresses: new BeneficiaryAddressRepository(store.db, audit, clock),
    addressEdits: new BeneficiaryAddressEdits(store.db, audit),
    alarmNotes: new AlarmNoteRepository(store.db, audit, clock),
    alarmHistory: new AlarmHistoryRepository(store.db, audit),
    inboundReplies: new InboundReplyRepository(store.db),
    actionPlans: new ActionPlanRepository(store.db),
    securityAnswers: new SecurityAnswerRepository(store.db),
    checkInTimers: new CheckInTimerRepository(store.db, store.engine, audit, store.sqlite),
    devicePaths: new DevicePathRepository(store.db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
export type { CasePlanStep, NewPlanStep } from './action-plans.ts';
export type { AlarmPress, PressOutcome } from './alarm-intake.ts';
export type { SqliteAlarmOpening } from './alarm-opening-sqlite.ts';
export type { Alarm, AlarmChange, AlarmForMessages, AlarmPressRecord, NewTimelineEntry, TimelineEntry, Tx } from './alarms.ts';
export type { AuditEntry, VerifyResult } from './audit.ts';
export { AuditLog } from './audit.ts';
export type { CaseReview } from './case-reviews.ts';
export type { DeviceFilter } from './devices.ts';
export type { EscalationStep } from './escalation-steps.ts';
export type { RegistryCursor } from './health-supervised-devices.ts';
export type { ImportOutcome } from './imports.ts';
export type { NewNotification, Notification, NotificationAttempt, RecipientType } from './notifications.ts';
export type { ContactToPage, ResponderToPage, StaffPhone } from './recipients.ts';
export type { Principal, User } from './users.ts';
