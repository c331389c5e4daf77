import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { CHECK_IN_STATES, type CheckInTimer, type RunningCheckIn } from '../../domain/check-in.ts';
import type { Actor } from '../actor.ts';
import { alarmRow } from '../alarm-row.ts';
import type { Engine } from '../database.ts';
import { newId } from '../ids.ts';
import { checkedOneOf } from '../row-check.ts';
import type { Database } from '../schema.ts';
import type { CheckInTimerTable } from '../schema-plans.ts';
import { type SqliteRead, sqliteRead } from '../sqlite-read.ts';
import type { Tx } from './alarms.ts';
import type { AuditLog } from './audit.ts';

const toTimer = (r: CheckInTimerTable): CheckInTimer => ({
  id: r.id,
  beneficiaryId: r.beneficiary_id,
  destination: r.destination,
  dueAt: r.due_at,
  state: checkedOneOf('check_in_timers', r.id, 'state', CHECK_IN_STATES, r.state),
  setBy: r.set_by,
  setVia: r.set_via,
  alarmId: r.alarm_id,
  closedBy: r.closed_by,
  closedAt: r.closed_at,
  createdAt: r.created_at,
});

/** Who a phone number is a trusted contact of. */
export interface ContactOfPhone {
  contactId: string;
  beneficiaryId: string;
  language: string;
}

/**
 * Check-in timers (issue 18). P1: the database is the schedule — a restart finds every running
 * timer, and the expiry of each is claimed in a transaction (`FOR UPDATE SKIP LOCKED` on
 * PostgreSQL, as src/store/repositories/escalation-steps.ts does) so one node escalates it.
 */
export class CheckInTimerRepository {
  /** SQLite: the alerts pump's "anything due?" (src/store/sqlite-read.ts). */
  private readonly dueRead: SqliteRead | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine,
    private readonly audit: AuditLog,
    sqlite?: SQLite.Database,
  ) {
    this.dueRead = sqliteRead(sqlite, "select 1 from check_in_timers where state = 'running' and due_at <= ? limit 1", true);
  }

  /** As EscalationStepRepository.anyDue: on SQLite a prepared read, so an idle pass opens no transaction. */
  async anyDue(now: number): Promise<boolean> {
    const read = this.dueRead?.now();
    return read ? read.get(now) !== undefined : true;
  }

  /** Starts a timer; a person has one running at a time, so a new one replaces the old. */
  async start(input: {
    beneficiaryId: string;
    destination: string | null;
    dueAt: number;
    setBy: string;
    setVia: string;
    now: number;
  }): Promise<CheckInTimer> {
    const row: CheckInTimerTable = {
      id: newId('cit'),
      beneficiary_id: input.beneficiaryId,
      destination: input.destination,
      due_at: input.dueAt,
      state: 'running',
      set_by: input.setBy,
      set_via: input.setVia,
      alarm_id: null,
      closed_by: null,
      closed_at: null,
      created_at: input.now,
    };
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('check_in_timers')
        .set({ state: 'replaced', closed_by: input.setBy, closed_at: input.now })
        .where('beneficiary_id', '=', input.beneficiaryId)
        .where('state', '=', 'running')
        .execute();
      await tx.insertInto('check_in_timers').values(row).execute();
    });
    return toTimer(row);
  }

  async get(id: string): Promise<CheckInTimer | undefined> {
    const row = await this.db.selectFrom('check_in_timers').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toTimer(row);
  }

  /** A person's newest timer (running or not), for a check-in by phone. */
  async newestOf(beneficiaryId: string): Promise<CheckInTimer | undefined> {
    const row = await this.db
      .selectFrom('check_in_timers')
      .selectAll()
      .where('beneficiary_id', '=', beneficiaryId)
      .where('state', '<>', 'replaced')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row && toTimer(row);
  }

  /**
   * A person's timers, newest first. Where they go is personal data: a read for a member of
   * staff (`reader`) is audited in the same transaction (P6); the engine's own reads are not.
   */
  async ofBeneficiary(beneficiaryId: string, limit = 20, reader?: Actor): Promise<CheckInTimer[]> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('check_in_timers')
        .selectAll()
        .where('beneficiary_id', '=', beneficiaryId)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      if (reader)
        await this.audit.append(trx, reader, {
          action: 'read',
          recordType: 'beneficiary',
          recordId: beneficiaryId,
          detail: { fields: ['check-in timers'], count: rows.length, purpose: 'check-in timers' },
        });
      return rows.map(toTimer);
    });
  }

  /**
   * The running timers of the whole centre, soonest due first, each with the person's alias: the
   * console's list of people on their way somewhere. One audited read (P6).
   */
  async running(reader: Actor, limit = 500): Promise<RunningCheckIn[]> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('check_in_timers')
        .innerJoin('beneficiaries', 'beneficiaries.id', 'check_in_timers.beneficiary_id')
        .selectAll('check_in_timers')
        .select('beneficiaries.alias')
        .where('check_in_timers.state', '=', 'running')
        .orderBy('check_in_timers.due_at')
        .orderBy('check_in_timers.id')
        .limit(limit)
        .execute();
      if (rows.length)
        await this.audit.append(trx, reader, {
          action: 'list',
          recordType: 'beneficiary',
          recordId: '*',
          detail: { fields: ['alias', 'check-in timers'], count: rows.length, purpose: 'check-in timers' },
        });
      return rows.map(({ alias, ...r }) => ({ ...toTimer(r), alias }));
    });
  }

  /** Checks in if the timer is still running and not yet due; false otherwise. */
  async checkIn(id: string, by: string, now: number): Promise<boolean> {
    const res = await this.db
      .updateTable('check_in_timers')
      .set({ state: 'checked_in', closed_by: by, closed_at: now })
      .where('id', '=', id)
      .where('state', '=', 'running')
      .where('due_at', '>', now)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Claims running timers that ran out, in the caller's transaction. */
  async claimDue(tx: Tx, now: number, limit: number): Promise<CheckInTimer[]> {
    let q = tx
      .selectFrom('check_in_timers')
      .selectAll()
      .where('state', '=', 'running')
      .where('due_at', '<=', now)
      .orderBy('due_at')
      .limit(limit);
    if (this.engine === 'postgres') q = q.forUpdate().skipLocked();
    return (await q.execute()).map(toTimer);
  }

  async markExpired(tx: Tx, id: string, alarmId: string | null, now: number): Promise<void> {
    await tx
      .updateTable('check_in_timers')
      .set({ state: 'expired', alarm_id: alarmId, closed_by: 'system:check-in', closed_at: now })
      .where('id', '=', id)
      .execute();
  }

  /** The trusted contacts a phone number belongs to (personal data: the caller audits). */
  async contactsOfPhone(phone: string): Promise<ContactOfPhone[]> {
    const rows = await this.db.selectFrom('contacts').select(['id', 'beneficiary_id', 'language']).where('phone', '=', phone).execute();
    return rows.map((r) => ({ contactId: r.id, beneficiaryId: r.beneficiary_id, language: r.language }));
  }

  /**
   * Opens the panic alarm of a missed check-in on the person's newest device in service, or
   * returns the panic already open on it (one open alarm per device and kind). Undefined when
   * the person has no device to hang an alarm on.
   */
  async openMissedCheckInAlarm(
    tx: Tx,
    input: { beneficiaryId: string; destination: string | null; dueAt: number; now: number },
  ): Promise<{ alarmId: string; deviceId: string; opened: boolean } | undefined> {
    const device = await tx
      .selectFrom('devices')
      .select('id')
      .where('beneficiary_id', '=', input.beneficiaryId)
      .where('retired_at', 'is', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (!device) return undefined;
    const open = await tx
      .selectFrom('alarms')
      .select('id')
      .where('device_id', '=', device.id)
      .where('kind', '=', 'panic')
      .where('state', '<>', 'resolved')
      .executeTakeFirst();
    if (open) return { alarmId: open.id, deviceId: device.id, opened: false };
    const id = newId('alm');
    const note = input.destination ? `check-in missed; destination: ${input.destination}` : 'check-in missed';
    await tx
      .insertInto('alarms')
      .values(
        alarmRow({
          id,
          device_id: device.id,
          beneficiary_id: input.beneficiaryId,
          kind: 'panic',
          severity: 'high',
          test: 0,
          raised_at: input.dueAt,
          received_at: input.now,
          press_count: 0,
          note,
        }),
      )
      .execute();
    return { alarmId: id, deviceId: device.id, opened: true };
  }
}
