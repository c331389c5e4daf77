import type { Kysely } from 'kysely';
import type { Span } from '../../domain/reports-spans.ts';
import type { Database } from '../schema.ts';

/**
 * Protection gaps: hours in which a beneficiary had no working alarm path. Supervision opens and
 * closes them with the transition that caused them (src/store/repositories/health-liveness.ts);
 * here they are read back.
 */
export class ProtectionGapRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Gaps still open: beneficiary id → when it opened. */
  async open(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('health_protection_gaps')
      .select(['beneficiary_id', 'opened_at'])
      .where('closed_at', 'is', null)
      .execute();
    return new Map(rows.map((r) => [r.beneficiary_id, r.opened_at]));
  }

  /** Gaps overlapping [from, to) by beneficiary; an open gap ends at `asOf`. */
  async overlapping(from: number, to: number, asOf: number): Promise<Map<string, Span[]>> {
    const rows = await this.db
      .selectFrom('health_protection_gaps')
      .select(['beneficiary_id', 'opened_at', 'closed_at'])
      .where('opened_at', '<', to)
      .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>', from)]))
      .execute();
    const byBeneficiary = new Map<string, Span[]>();
    for (const g of rows) {
      const list = byBeneficiary.get(g.beneficiary_id) ?? [];
      list.push([g.opened_at, g.closed_at ?? asOf]);
      byBeneficiary.set(g.beneficiary_id, list);
    }
    return byBeneficiary;
  }
}
