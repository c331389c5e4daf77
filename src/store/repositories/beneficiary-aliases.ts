import { type Kysely, sql } from 'kysely';
import type { Actor } from '../actor.ts';
import type { Database } from '../schema.ts';
import { likeEscape } from './alarm-history.ts';
import type { AuditLog } from './audit.ts';

/** Enough to tell two people apart on a list, and nothing more. */
export interface PersonByAlias {
  id: string;
  alias: string;
  stateCode: string;
  municipality: string | null;
}

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

  /**
   * People whose alias contains `text` (case aside, `%` and `_` as letters), for a screen where
   * staff look a person up to act for them (the console's check-in timers). The read is audited
   * with the purpose, whether or not anyone matched: the search itself says who was looked for.
   */
  async search(actor: Actor, text: string, purpose: string, limit = 10): Promise<PersonByAlias[]> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('beneficiaries')
        .select(['id', 'alias', 'state_code', 'municipality'])
        .where(sql<boolean>`lower(${sql.ref('alias')}) like ${`%${likeEscape(text.toLowerCase())}%`} escape '\\'`)
        .orderBy('alias')
        .orderBy('id')
        .limit(limit)
        .execute();
      await this.audit.append(trx, actor, {
        action: 'list',
        recordType: 'beneficiary',
        recordId: '*',
        detail: { fields: ['alias', 'state', 'municipality'], count: rows.length, purpose },
      });
      return rows.map((r) => ({ id: r.id, alias: r.alias, stateCode: r.state_code, municipality: r.municipality }));
    });
  }
}
