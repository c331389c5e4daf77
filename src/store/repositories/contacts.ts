import type { Kysely } from 'kysely';
import { CentinelaError, notFound } from '../../domain/errors.ts';
import type { Contact, ContactCreate, ContactUpdate } from '../../domain/registry.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Actor } from '../actor.ts';
import { newId } from '../ids.ts';
import { mapConstraintError, parseJson, toIso } from '../rows.ts';
import type { ContactTable, Database } from '../schema.ts';
import type { AuditLog } from './audit.ts';

const toContact = (r: ContactTable): Contact => ({
  id: r.id,
  beneficiaryId: r.beneficiary_id,
  name: r.name,
  phone: r.phone,
  relation: r.relation,
  language: r.language,
  channels: parseJson<Contact['channels']>(r.channels),
  priority: r.priority,
  createdAt: toIso(r.created_at) as string,
});

/** A beneficiary's trusted contacts: personal data, audited on every read and change (P6). */
export class ContactRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, beneficiaryId?: string, purpose?: string): Promise<Contact[]> {
    return this.db.transaction().execute(async (trx) => {
      let q = trx.selectFrom('contacts').selectAll().orderBy('beneficiary_id').orderBy('priority').orderBy('id');
      if (beneficiaryId) q = q.where('beneficiary_id', '=', beneficiaryId);
      const rows = await q.execute();
      await this.audit.append(trx, actor, {
        action: 'list',
        recordType: 'contact',
        recordId: beneficiaryId ? `beneficiary:${beneficiaryId}` : '*',
        detail: { count: rows.length, ...(purpose ? { purpose } : {}) },
      });
      return rows.map(toContact);
    });
  }

  /** `opts.ofBeneficiary`: read only if the contact is that person's (issue 15: in an alarm's context). */
  async get(actor: Actor, id: string, opts: { purpose?: string; ofBeneficiary?: string } = {}): Promise<Contact> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound('contact', id);
      if (opts.ofBeneficiary !== undefined && row.beneficiary_id !== opts.ofBeneficiary)
        throw new CentinelaError('CENTINELA_ERR_AUTH_FORBIDDEN', 'this contact is not of the person whose alarm is given');
      await this.audit.append(trx, actor, {
        action: 'read',
        recordType: 'contact',
        recordId: id,
        ...(opts.purpose ? { detail: { purpose: opts.purpose } } : {}),
      });
      return toContact(row);
    });
  }

  async create(actor: Actor, input: ContactCreate): Promise<Contact> {
    const id = input.id ?? newId('con');
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('contacts')
          .values({
            id,
            beneficiary_id: input.beneficiaryId,
            name: input.name,
            phone: input.phone,
            relation: input.relation,
            language: input.language,
            channels: JSON.stringify(input.channels),
            priority: input.priority,
            created_at: this.clock.now(),
          })
          .execute();
        await this.audit.append(trx, actor, { action: 'create', recordType: 'contact', recordId: id });
      });
    } catch (err) {
      mapConstraintError(err, 'contact', id);
    }
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, patch: ContactUpdate): Promise<Contact> {
    const set: Partial<ContactTable> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.phone !== undefined) set.phone = patch.phone;
    if (patch.relation !== undefined) set.relation = patch.relation;
    if (patch.language !== undefined) set.language = patch.language;
    if (patch.channels !== undefined) set.channels = JSON.stringify(patch.channels);
    if (patch.priority !== undefined) set.priority = patch.priority;
    await this.db.transaction().execute(async (trx) => {
      const exists = await trx.selectFrom('contacts').select('id').where('id', '=', id).executeTakeFirst();
      if (!exists) throw notFound('contact', id);
      if (Object.keys(set).length > 0) await trx.updateTable('contacts').set(set).where('id', '=', id).execute();
      await this.audit.append(trx, actor, {
        action: 'update',
        recordType: 'contact',
        recordId: id,
        detail: { fields: Object.keys(patch) },
      });
    });
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const res = await trx.deleteFrom('contacts').where('id', '=', id).executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) throw notFound('contact', id);
      await this.audit.append(trx, actor, { action: 'delete', recordType: 'contact', recordId: id });
    });
  }
}
