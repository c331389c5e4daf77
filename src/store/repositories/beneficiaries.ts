import type { Kysely } from 'kysely';
import { notFound } from '../../domain/errors.ts';
import type { Aggressor, Beneficiary, BeneficiaryCreate, BeneficiaryUpdate } from '../../domain/registry.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Actor } from '../actor.ts';
import { newId } from '../ids.ts';
import { mapConstraintError, parseJson, toIso } from '../rows.ts';
import type { BeneficiaryTable, Database } from '../schema.ts';
import type { AuditLog } from './audit.ts';

const toBeneficiary = (r: BeneficiaryTable): Beneficiary => ({
  id: r.id,
  alias: r.alias,
  fullName: r.full_name,
  kind: r.kind as Beneficiary['kind'],
  stateCode: r.state_code,
  municipality: r.municipality,
  riskLevel: r.risk_level as Beneficiary['riskLevel'],
  language: r.language,
  presumedAggressors: parseJson<Aggressor[]>(r.presumed_aggressors),
  createdAt: toIso(r.created_at) as string,
});

/** People at risk. Every read and change is audited (P6), so every method takes an actor. */
export class BeneficiaryRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, purpose?: string): Promise<Beneficiary[]> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('beneficiaries').selectAll().orderBy('id').execute();
      await this.audit.append(trx, actor, {
        action: 'list',
        recordType: 'beneficiary',
        recordId: '*',
        detail: { count: rows.length, ...(purpose ? { purpose } : {}) },
      });
      return rows.map(toBeneficiary);
    });
  }

  async get(actor: Actor, id: string, purpose?: string): Promise<Beneficiary> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('beneficiaries').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound('beneficiary', id);
      await this.audit.append(trx, actor, {
        action: 'read',
        recordType: 'beneficiary',
        recordId: id,
        ...(purpose ? { detail: { purpose } } : {}),
      });
      return toBeneficiary(row);
    });
  }

  async create(actor: Actor, input: BeneficiaryCreate): Promise<Beneficiary> {
    const id = input.id ?? newId('ben');
    const now = this.clock.now();
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('beneficiaries')
          .values({
            id,
            alias: input.alias,
            full_name: input.fullName,
            kind: input.kind,
            state_code: input.stateCode,
            municipality: input.municipality ?? null,
            risk_level: input.riskLevel,
            language: input.language,
            presumed_aggressors: JSON.stringify(input.presumedAggressors),
            created_at: now,
            updated_at: now,
          })
          .execute();
        await this.audit.append(trx, actor, { action: 'create', recordType: 'beneficiary', recordId: id });
      });
    } catch (err) {
      mapConstraintError(err, 'beneficiary', id);
    }
    return this.get(actor, id, 'after create');
  }

  async update(actor: Actor, id: string, patch: BeneficiaryUpdate): Promise<Beneficiary> {
    const set: Partial<BeneficiaryTable> = { updated_at: this.clock.now() };
    if (patch.alias !== undefined) set.alias = patch.alias;
    if (patch.fullName !== undefined) set.full_name = patch.fullName;
    if (patch.kind !== undefined) set.kind = patch.kind;
    if (patch.stateCode !== undefined) set.state_code = patch.stateCode;
    if (patch.municipality !== undefined) set.municipality = patch.municipality;
    if (patch.riskLevel !== undefined) set.risk_level = patch.riskLevel;
    if (patch.language !== undefined) set.language = patch.language;
    if (patch.presumedAggressors !== undefined) set.presumed_aggressors = JSON.stringify(patch.presumedAggressors);
    await this.db.transaction().execute(async (trx) => {
      const res = await trx.updateTable('beneficiaries').set(set).where('id', '=', id).executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw notFound('beneficiary', id);
      await this.audit.append(trx, actor, {
        action: 'update',
        recordType: 'beneficiary',
        recordId: id,
        detail: { fields: Object.keys(patch) },
      });
    });
    return this.get(actor, id, 'after update');
  }
}
