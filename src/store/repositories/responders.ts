import type { Kysely } from 'kysely';
import { notFound } from '../../domain/errors.ts';
import type { Responder, ResponderCreate, ResponderUpdate } from '../../domain/registry.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Actor } from '../actor.ts';
import { newId } from '../ids.ts';
import { mapConstraintError, toIso } from '../rows.ts';
import type { Database, ResponderTable } from '../schema.ts';
import type { AuditLog } from './audit.ts';

const toResponder = (r: ResponderTable): Responder => ({
  id: r.id,
  name: r.name,
  kind: r.kind as Responder['kind'],
  stateCode: r.state_code,
  municipality: r.municipality,
  phone: r.phone,
  escalationOrder: r.escalation_order,
  language: r.language,
  createdAt: toIso(r.created_at) as string,
});

/** Institutions that answer alarms (police bodies, the mechanism's rapid reaction team). */
export class ResponderRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async list(filter: { stateCode?: string | undefined } = {}): Promise<Responder[]> {
    let q = this.db.selectFrom('responders').selectAll().orderBy('state_code').orderBy('escalation_order').orderBy('id');
    if (filter.stateCode) q = q.where('state_code', '=', filter.stateCode);
    return (await q.execute()).map(toResponder);
  }

  async get(id: string): Promise<Responder> {
    const row = await this.db.selectFrom('responders').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('responder', id);
    return toResponder(row);
  }

  async create(actor: Actor, input: ResponderCreate): Promise<Responder> {
    const id = input.id ?? newId('rsp');
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('responders')
          .values({
            id,
            name: input.name,
            kind: input.kind,
            state_code: input.stateCode,
            municipality: input.municipality ?? null,
            phone: input.phone,
            escalation_order: input.escalationOrder,
            language: input.language,
            created_at: this.clock.now(),
          })
          .execute();
        await this.audit.append(trx, actor, { action: 'create', recordType: 'responder', recordId: id });
      });
    } catch (err) {
      mapConstraintError(err, 'responder', id);
    }
    return this.get(id);
  }

  async update(actor: Actor, id: string, patch: ResponderUpdate): Promise<Responder> {
    const set: Partial<ResponderTable> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.kind !== undefined) set.kind = patch.kind;
    if (patch.stateCode !== undefined) set.state_code = patch.stateCode;
    if (patch.municipality !== undefined) set.municipality = patch.municipality;
    if (patch.phone !== undefined) set.phone = patch.phone;
    if (patch.escalationOrder !== undefined) set.escalation_order = patch.escalationOrder;
    if (patch.language !== undefined) set.language = patch.language;
    await this.db.transaction().execute(async (trx) => {
      const exists = await trx.selectFrom('responders').select('id').where('id', '=', id).executeTakeFirst();
      if (!exists) throw notFound('responder', id);
      if (Object.keys(set).length > 0) await trx.updateTable('responders').set(set).where('id', '=', id).execute();
      await this.audit.append(trx, actor, {
        action: 'update',
        recordType: 'responder',
        recordId: id,
        detail: { fields: Object.keys(patch) },
      });
    });
    return this.get(id);
  }
}
