import type { Kysely } from 'kysely';
import type { AlarmCallCreate, AlarmNote, AlarmNoteCreate } from '../../domain/alarm-notes.ts';
import { notFound } from '../../domain/errors.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Actor } from '../actor.ts';
import { newId } from '../ids.ts';
import { toIso } from '../rows.ts';
import type { Database } from '../schema.ts';
import type { AlarmNoteTable } from '../schema-notes.ts';
import type { AuditLog } from './audit.ts';

const toNote = (r: Omit<AlarmNoteTable, 'seq'>): AlarmNote => ({
  id: r.id,
  alarmId: r.alarm_id,
  at: toIso(r.at) as string,
  authorId: r.author_id,
  kind: r.kind as AlarmNote['kind'],
  text: r.text,
  callee: r.callee,
  phone: r.phone,
  outcome: r.call_outcome as AlarmNote['outcome'],
});

/**
 * Notes and the call log an operator keeps on an alarm. They name people and numbers, so every
 * read and write is audited (P6), in the same transaction as the row it covers.
 */
export class AlarmNoteRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, alarmId: string): Promise<AlarmNote[]> {
    return this.db.transaction().execute(async (trx) => {
      const alarm = await trx.selectFrom('alarms').select('id').where('id', '=', alarmId).executeTakeFirst();
      if (!alarm) throw notFound('alarm', alarmId);
      const rows = await trx.selectFrom('alarm_notes').selectAll().where('alarm_id', '=', alarmId).orderBy('at').orderBy('seq').execute();
      await this.audit.append(trx, actor, { action: 'list', recordType: 'alarm_note', recordId: alarmId, detail: { count: rows.length } });
      return rows.map(toNote);
    });
  }

  addNote(actor: Actor, alarmId: string, input: AlarmNoteCreate): Promise<AlarmNote> {
    return this.insert(actor, alarmId, { kind: 'note', text: input.text, callee: null, phone: null, call_outcome: null });
  }

  addCall(actor: Actor, alarmId: string, input: AlarmCallCreate): Promise<AlarmNote> {
    return this.insert(actor, alarmId, {
      kind: 'call',
      text: input.text || null,
      callee: input.callee,
      phone: input.phone,
      call_outcome: input.outcome,
    });
  }

  private async insert(
    actor: Actor,
    alarmId: string,
    fields: Pick<AlarmNoteTable, 'kind' | 'text' | 'callee' | 'phone' | 'call_outcome'>,
  ): Promise<AlarmNote> {
    // The true time is stored; notes of the same millisecond keep their order by `seq`.
    const row: Omit<AlarmNoteTable, 'seq'> = { id: newId('note'), alarm_id: alarmId, at: this.clock.now(), author_id: actor.id, ...fields };
    await this.db.transaction().execute(async (trx) => {
      const alarm = await trx.selectFrom('alarms').select('id').where('id', '=', alarmId).executeTakeFirst();
      if (!alarm) throw notFound('alarm', alarmId);
      await trx.insertInto('alarm_notes').values(row).execute();
      await this.audit.append(trx, actor, {
        action: 'create',
        recordType: 'alarm_note',
        recordId: row.id,
        detail: { alarmId, kind: row.kind, ...(row.call_outcome ? { outcome: row.call_outcome } : {}) },
      });
    });
    return toNote(row);
  }
}
