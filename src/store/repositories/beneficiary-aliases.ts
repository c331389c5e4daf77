import type { Kysely } from 'kysely';
import type { Actor } from '../actor.ts';
import type { Database } from '../schema.ts';
import type { AuditLog } from './audit.ts';

/**
 * The aliases of several beneficiaries in one audited read (P6): the console's queue shows who
 * is in danger by alias, and one audit entry covers the whole list instead of one per row.
 */
export class BeneficiaryAliases {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
  ) {}

  async of(actor: Actor, ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('beneficiaries').select(['id', 'alias']).where('id', 'in', unique).execute();
      if (rows.length)
        await this.audit.append(trx, actor, {
          action: 'list',
          recordType: 'beneficiary',
          recordId: '*',
          detail: { fields: ['alias'], count: rows.length },
        });
      return new Map(rows.map((r) => [r.id, r.alias]));
    });
  }
}
