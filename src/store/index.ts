export { type Actor, systemActor } from './actor.ts';
export { AlarmJournal, JOURNAL_FILE } from './alarm-journal.ts';
export { alarmRow, type NewAlarm } from './alarm-row.ts';
export { AuditCheckpoints, startAuditCheckpoints } from './audit-checkpoints.ts';
export { DEFAULT_CATALOGUE_DIR, loadCatalogue } from './catalogue.ts';
export { type CsvImportResult, importCsv } from './csv-import.ts';
export { type DatabaseConfig, type Engine, openStore, type Store } from './database.ts';
export { newId } from './ids.ts';
export { type Leadership, type LeadershipOptions, startLeadership } from './leadership.ts';
export { migrateThrough, migrateToLatest } from './migrations/index.ts';
export type { ConsoleSessionRepository, LiveConsoleSession } from './repositories/console-sessions.ts';
export type { GatewayRepository } from './repositories/gateways.ts';
export type {
  Alarm,
  AlarmChange,
  AlarmForMessages,
  AlarmPress,
  AuditEntry,
  CasePlanStep,
  CaseReview,
  ContactToPage,
  DeviceFilter,
  EscalationStep,
  NewNotification,
  NewPlanStep,
  Notification,
  PressOutcome,
  Principal,
  ResponderToPage,
  SqliteAlarmOpening,
  StaffPhone,
  Tx,
  User,
  VerifyResult,
} from './repositories/index.ts';
export { createRepositories, type Repositories } from './repositories/index.ts';
export type { IngestErrorRepository, UnreadableCount, UnreadableMessage } from './repositories/ingest-errors.ts';
export { type Checked, isBadRow } from './row-check.ts';
export { fromIso, toIso } from './rows.ts';
export type { Database } from './schema.ts';
export { type HistorySeed, seedHistory } from './seed-history.ts';
export { WriteQueue } from './write-queue.ts';
