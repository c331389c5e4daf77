import type { Kysely } from 'kysely';
import { notFound } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import type { Database } from '../schema.ts';
import type { AuditLog } from './audit.ts';

/**
 * What the administration pages do to registered addresses besides adding them (that is
 * BeneficiaryAddressRepository's `create`): remove one. Audited like every change to a
 * person's data (P6).
 */
export class BeneficiaryAddressEdits {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
  ) {}

  async remove(actor: Actor, beneficiaryId: string, addressId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const res = await trx
        .deleteFrom('beneficiary_addresses')
        .where('id', '=', addressId)
        .where('beneficiary_id', '=', beneficiaryId)
        .executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) throw notFound('address', addressId);
      await this.audit.append(trx, actor, { action: 'delete', recordType: 'beneficiary_address', recordId: addressId });
    });
  }
}
