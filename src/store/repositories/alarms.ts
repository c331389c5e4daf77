import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { ALARM_OUTCOMES, ALARM_STATES, type AlarmOutcome, type AlarmState, SEVERITIES, type Severity } from '../../domain/alarm.ts';
import { notFound } from '../../domain/errors.ts';
import { type Policy, policySchema } from '../../domain/escalation.ts';
import { type Aggressor, aggressorSchema } from '../../domain/registry.ts';
import { type Location, locationSchema } from '../../domain/wire.ts';
import { alarmRow } from '../alarm-row.ts';
import { type Checked, checkedJson, checkedOneOf, mapEach } from '../row-check.ts';
import type { AlarmTable, BeneficiaryTable, Database } from '../schema.ts';

/** A transaction a part passes back to repositories, so several writes commit together. */
export type Tx = Transaction<Database>;
type Db = Kysely<Database> | Tx;

/** An alarm as the alerts part sees it: flags are booleans, JSON columns are parsed and checked. */
export interface Alarm {
  id: string;
  deviceId: string;
  beneficiaryId: string | null;
  kind: string;
  severity: Severity;
  state: AlarmState;
  test: boolean;
  loc: Location | null;
  note: string | null;
  /** The policy copied onto the alarm when its escalation started; null until then. */
  policy: Policy | null;
  raisedAt: number;
  receivedAt: number;
  /** The device's clock was not believable; raisedAt is then the receive time (docs/architecture.md). */
  clockSuspect: boolean;
  /** What that device's clock said, when it said a time at all. */
  deviceReportedAt: number | null;
  pressCount: number;
  lastPressAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  dispatchedAt: number | null;
  dispatchedBy: string | null;
  onSceneAt: number | null;
  onSceneBy: string | null;
  resolvedAt: number | null;
  resolvedBy: string | null;
  outcome: AlarmOutcome | null;
  resolutionNote: string | null;
}

/** Who an alarm is about, as messages need it: the alias, never the full name. */
export interface AlarmSubject {
  alias: string;
  stateCode: string;
  municipality: string | null;
  /** 'unreadable': the stored list is corrupt, so no responder can be known to be safe (P4). */
  aggressors: Aggressor[] | 'unreadable';
}

export interface AlarmForMessages {
  alarm: Alarm;
  subject: AlarmSubject | undefined;
  deviceStateCode: string | undefined;
}

/** What a lifecycle transition changes on the alarm. */
export type AlarmChange = Partial<
  Pick<
    Alarm,
    | 'state'
    | 'acknowledgedAt'
    | 'acknowledgedBy'
    | 'dispatchedAt'
    | 'dispatchedBy'
    | 'onSceneAt'
    | 'onSceneBy'
    | 'resolvedAt'
    | 'resolvedBy'
    | 'outcome'
    | 'resolutionNote'
  >
>;

export interface TimelineEntry {
  seq: number;
  at: number;
  kind: string;
  actor: string;
  detail: Record<string, unknown> | null;
}

export interface NewTimelineEntry {
  alarmId: string;
  at: number;
  kind: string;
  actor: string;
  detail?: Record<string, unknown>;
}

export interface AlarmPressRecord {
  deviceAlarmId: string;
  deviceTs: number;
  receivedAt: number;
}

const T = 'alarms';
const detailSchema = z.record(z.string(), z.unknown());
const aggressorsSchema = z.array(aggressorSchema);

export function toAlarm(r: AlarmTable): Alarm {
  // An unreadable location is shown as unknown rather than holding up the alarm (P1).
  const loc = locationSchema.safeParse(safeJson(r.loc));
  return {
    id: r.id,
    deviceId: r.device_id,
    beneficiaryId: r.beneficiary_id,
    kind: r.kind,
    severity: checkedOneOf(T, r.id, 'severity', SEVERITIES, r.severity),
    state: checkedOneOf(T, r.id, 'state', ALARM_STATES, r.state),
    test: r.test === 1,
    loc: loc.success ? loc.data : null,
    note: r.note,
    policy: checkedJson(T, r.id, 'policy', policySchema, r.policy),
    raisedAt: r.raised_at,
    receivedAt: r.received_at,
    clockSuspect: r.clock_suspect === 1,
    deviceReportedAt: r.device_reported_at ?? null,
    pressCount: r.press_count,
    lastPressAt: r.last_press_at,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    dispatchedAt: r.dispatched_at,
    dispatchedBy: r.dispatched_by,
    onSceneAt: r.on_scene_at,
    onSceneBy: r.on_scene_by,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    outcome: r.outcome === null ? null : checkedOneOf(T, r.id, 'outcome', ALARM_OUTCOMES, r.outcome),
    resolutionNote: r.resolution_note,
  };
}

/** The beneficiaries columns `subjectOf` reads. */
export type SubjectRow = Pick<BeneficiaryTable, 'alias' | 'state_code' | 'municipality' | 'presumed_aggressors'>;

export function subjectOf(ben: SubjectRow): AlarmSubject {
  // A corrupt aggressor list must not stop the console and contacts from being paged: it is
  // reported as unreadable, and only the choice of a responder is refused.
  const aggressors = aggressorsSchema.safeParse(safeJson(ben.presumed_aggressors ?? '[]'));
  return {
    alias: ben.alias,
    stateCode: ben.state_code,
    municipality: ben.municipality,
    aggressors: aggressors.success ? aggressors.data : ('unreadable' as const),
  };
}

/** The row of a timeline entry, as both engines' writers insert it. */
export function timelineRow(entry: NewTimelineEntry) {
  return {
    alarm_id: entry.alarmId,
    at: entry.at,
    kind: entry.kind,
    actor: entry.actor,
    detail: entry.detail ? JSON.stringify(entry.detail) : null,
  };
}

function safeJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const COLUMNS: Record<keyof AlarmChange, keyof AlarmTable> = {
  state: 'state',
  acknowledgedAt: 'acknowledged_at',
  acknowledgedBy: 'acknowledged_by',
  dispatchedAt: 'dispatched_at',
  dispatchedBy: 'dispatched_by',
  onSceneAt: 'on_scene_at',
  onSceneBy: 'on_scene_by',
  resolvedAt: 'resolved_at',
  resolvedBy: 'resolved_by',
  outcome: 'outcome',
  resolutionNote: 'resolution_note',
};

/**
 * Alarms after intake (src/store/repositories/alarm-intake.ts stores the press): their lifecycle,
 * escalation policy, severity, presses and timeline.
 */
export class AlarmRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Runs `work` in one transaction; the repositories of alerts take the `tx` it is given. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async get(id: string, tx: Db = this.db): Promise<Alarm | undefined> {
    const row = await tx.selectFrom('alarms').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toAlarm(row) : undefined;
  }

  async require(id: string, tx: Db = this.db): Promise<Alarm> {
    const alarm = await this.get(id, tx);
    if (!alarm) throw notFound('alarm', id);
    return alarm;
  }

  /** Newest first; an unreadable row is set aside (and reported), never hides the others. */
  async list(filter: { state?: string | undefined; open?: boolean | undefined; limit?: number | undefined }): Promise<Checked<Alarm>> {
    let q = this.db
      .selectFrom('alarms')
      .selectAll()
      .orderBy('received_at', 'desc')
      .limit(filter.limit ?? 200);
    if (filter.state) q = q.where('state', '=', filter.state);
    if (filter.open) q = q.where('state', '<>', 'resolved');
    return mapEach(await q.execute(), toAlarm);
  }

  /** The alarm with who it is about and where, for the text of a message. */
  /** `known`: the alarm, already read in `tx` (the alarm path saves the second read). */
  async forMessages(id: string, tx: Db = this.db, known?: Alarm): Promise<AlarmForMessages | undefined> {
    const alarm = known ?? (await this.get(id, tx));
    if (!alarm) return undefined;
    const ben = alarm.beneficiaryId
      ? await tx
          .selectFrom('beneficiaries')
          .select(['id', 'alias', 'state_code', 'municipality', 'presumed_aggressors'])
          .where('id', '=', alarm.beneficiaryId)
          .executeTakeFirst()
      : undefined;
    const device = await tx.selectFrom('devices').select('state_code').where('id', '=', alarm.deviceId).executeTakeFirst();
    return { alarm, subject: ben && subjectOf(ben), deviceStateCode: device?.state_code ?? undefined };
  }

  /** Copies the policy onto the alarm once: of the event and the start-up sweep, one wins. */
  async startEscalation(tx: Tx, id: string, policy: Policy, now: number): Promise<boolean> {
    const res = await tx
      .updateTable('alarms')
      .set({ policy: JSON.stringify(policy), updated_at: now })
      .where('id', '=', id)
      .where('policy', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Alarms raised but whose escalation never started (a crash between intake and the event). */
  async awaitingEscalation(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('alarms')
      .select('id')
      .where('policy', 'is', null)
      .where('state', '<>', 'resolved')
      .orderBy('received_at')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Applies a transition if the alarm is still in `from` (first acknowledgement wins). */
  async changeIfIn(tx: Tx, id: string, from: AlarmState, change: AlarmChange, now: number): Promise<boolean> {
    const set: Partial<AlarmTable> = { updated_at: now };
    for (const [key, value] of Object.entries(change)) (set as Record<string, unknown>)[COLUMNS[key as keyof AlarmChange]] = value;
    const res = await tx.updateTable('alarms').set(set).where('id', '=', id).where('state', '=', from).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Raises an alarm to critical once; false if it already was. */
  async raiseToCritical(tx: Tx, id: string, now: number): Promise<boolean> {
    const res = await tx
      .updateTable('alarms')
      .set({ severity: 'critical', updated_at: now })
      .where('id', '=', id)
      .where('severity', '<>', 'critical')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Ids of a device's alarms of a kind that are not resolved. */
  async openOf(deviceId: string, kind: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('alarms')
      .select('id')
      .where('device_id', '=', deviceId)
      .where('kind', '=', kind)
      .where('state', '<>', 'resolved')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Opens an alarm that no device pressed (an operator task); false if one is already open. */
  async openTask(task: {
    id: string;
    deviceId: string;
    beneficiaryId: string;
    kind: string;
    raisedAt: number;
    now: number;
  }): Promise<boolean> {
    try {
      await this.db
        .insertInto('alarms')
        .values(
          alarmRow({
            id: task.id,
            device_id: task.deviceId,
            beneficiary_id: task.beneficiaryId,
            kind: task.kind,
            severity: 'low',
            test: 0,
            raised_at: task.raisedAt,
            received_at: task.now,
            press_count: 0,
          }),
        )
        .execute();
      return true;
    } catch (err) {
      // Another node opened it first (one open alarm per device and kind).
      const code = (err as { code?: string }).code;
      if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
      throw err;
    }
  }

  /** Alarms of a person received since `since`, not yet critical, leaving out `exceptKind`. */
  async recentOf(beneficiaryId: string, since: number, exceptKind: string): Promise<{ id: string; receivedAt: number }[]> {
    const rows = await this.db
      .selectFrom('alarms')
      .select(['id', 'received_at'])
      .where('beneficiary_id', '=', beneficiaryId)
      .where('kind', '<>', exceptKind)
      // Issue 14 §7: a test press followed by a technician unplugging the device is no seizure.
      .where('test', '=', 0)
      .where('kind', '<>', 'test')
      .where('severity', '<>', 'critical')
      .where('received_at', '>=', since)
      .execute();
    return rows.map((r) => ({ id: r.id, receivedAt: r.received_at }));
  }

  /** The person a device is given to, if any. */
  async beneficiaryOfDevice(deviceId: string): Promise<string | null> {
    const row = await this.db.selectFrom('devices').select('beneficiary_id').where('id', '=', deviceId).executeTakeFirst();
    return row?.beneficiary_id ?? null;
  }

  /** The aliases of the people alarms are about (the caller audits the read, P6). */
  async aliases(beneficiaryIds: string[]): Promise<Map<string, string>> {
    if (beneficiaryIds.length === 0) return new Map();
    const rows = await this.db.selectFrom('beneficiaries').select(['id', 'alias']).where('id', 'in', beneficiaryIds).execute();
    return new Map(rows.map((r) => [r.id, r.alias]));
  }

  /**
   * Appends to an alarm's timeline: what an evidence export shows a prosecutor and the case
   * review. Details carry ids and reasons, never phone numbers or message bodies.
   */
  /** Keeps the time a device with a suspect clock claimed, beside the receive time that replaced it. */
  /** A suspect device clock on the timeline; the time itself was stored with the alarm at intake. */
  async noteDeviceTime(id: string, deviceTime: number | null, receivedAt: number): Promise<void> {
    await this.appendTimeline({
      alarmId: id,
      at: receivedAt,
      kind: 'device_clock_suspect',
      actor: 'system:ingest',
      detail: { deviceTime, receivedAt },
    });
  }

  async appendTimeline(entry: NewTimelineEntry, tx: Db = this.db): Promise<void> {
    await tx.insertInto('alarm_timeline').values(timelineRow(entry)).execute();
  }

  async timeline(alarmId: string): Promise<TimelineEntry[]> {
    const rows = await this.db.selectFrom('alarm_timeline').selectAll().where('alarm_id', '=', alarmId).orderBy('seq').execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      at: r.at,
      kind: r.kind,
      actor: r.actor,
      detail: checkedJson('alarm_timeline', Number(r.seq), 'detail', detailSchema, r.detail),
    }));
  }

  /**
   * Where the device last said it was during this alarm: the location of its latest press that
   * carried one — a repeat press keeps its own on the timeline (alarm-press-rows.ts) — or else the
   * alarm's first, with when it was received.
   */
  async latestFix(alarm: Pick<Alarm, 'id' | 'loc' | 'receivedAt'>): Promise<{ loc: Location; at: number } | null> {
    // Only the newest entry with a location is read, not every repeat press of the alarm (a held
    // button or a tracker can join hundreds): a note's text cannot match, JSON escapes its quotes.
    const latest = await this.db
      .selectFrom('alarm_timeline')
      .select(['at', 'detail'])
      .where('alarm_id', '=', alarm.id)
      .where('kind', '=', 'press_joined')
      .where('detail', 'like', '%"loc":{%')
      .orderBy('at', 'desc')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const loc = latest && locationSchema.safeParse((safeJson(latest.detail) as { loc?: unknown } | null)?.loc);
    if (latest && loc?.success) return { loc: loc.data, at: latest.at };
    return alarm.loc ? { loc: alarm.loc, at: alarm.receivedAt } : null;
  }

  async presses(alarmId: string): Promise<AlarmPressRecord[]> {
    const rows = await this.db.selectFrom('alarm_presses').selectAll().where('alarm_id', '=', alarmId).orderBy('received_at').execute();
    return rows.map((p) => ({ deviceAlarmId: p.device_alarm_id, deviceTs: p.device_ts, receivedAt: p.received_at }));
  }

  /**
   * What the device itself sent, kept for forensics: the raw bytes of an unreadable payload
   * (base64) and the protocol frame of a device behind a gateway (hex).
   */
  async deviceMessage(alarmId: string): Promise<{ raw: string | null; frameHex: string | null }> {
    const row = await this.db.selectFrom('alarms').select(['raw', 'frame_hex']).where('id', '=', alarmId).executeTakeFirst();
    return { raw: row?.raw ?? null, frameHex: row?.frame_hex ?? null };
  }
}
