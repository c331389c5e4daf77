import type { Kysely } from 'kysely';
import type { Address, AddressCreate } from '../../domain/alarm-notes.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Actor } from '../actor.ts';
import { newId } from '../ids.ts';
import { mapConstraintError } from '../rows.ts';
import type { Database } from '../schema.ts';
import type { BeneficiaryAddressTable } from '../schema-notes.ts';
import type { AuditLog } from './audit.ts';

const toAddress = (r: BeneficiaryAddressTable): Address => ({
  id: r.id,
  beneficiaryId: r.beneficiary_id,
  label: r.label,
  line: r.line,
  municipality: r.municipality,
  stateCode: r.state_code,
  lat: r.lat === null ? null : Number(r.lat),
  lon: r.lon === null ? null : Number(r.lon),
});

/** Where a person lives or works: personal data, so every read and write is audited (P6). */
export class BeneficiaryAddressRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, beneficiaryId: string): Promise<Address[]> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('beneficiary_addresses')
        .selectAll()
        .where('beneficiary_id', '=', beneficiaryId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      await this.audit.append(trx, actor, {
        action: 'list',
        recordType: 'beneficiary_address',
        recordId: beneficiaryId,
        detail: { count: rows.length },
      });
      return rows.map(toAddress);
    });
  }

  async create(actor: Actor, input: AddressCreate): Promise<Address> {
    const row: BeneficiaryAddressTable = {
      id: input.id ?? newId('adr'),
      beneficiary_id: input.beneficiaryId,
      label: input.label,
      line: input.line,
      municipality: input.municipality ?? null,
      state_code: input.stateCode,
      lat: input.lat ?? null,
      lon: input.lon ?? null,
      created_at: this.clock.now(),
    };
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx.insertInto('beneficiary_addresses').values(row).execute();
        await this.audit.append(trx, actor, { action: 'create', recordType: 'beneficiary_address', recordId: row.id });
      });
    } catch (err) {
      mapConstraintError(err, 'address', row.id);
    }
    return toAddress(row);
  }
}
