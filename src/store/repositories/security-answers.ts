import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { Tx } from './alarms.ts';

type Db = Kysely<Database> | Tx;

/** The hashes of a person's security and duress answers (never the answers themselves). */
export interface SecurityAnswerHashes {
  securityHash: string;
  duressHash: string;
}

/**
 * Security and duress answers (issue 18), hashed by the caller like passwords; and the one
 * duress escalation an alarm may have.
 */
export class SecurityAnswerRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async set(beneficiaryId: string, hashes: SecurityAnswerHashes, by: string, now: number): Promise<void> {
    const row = { security_hash: hashes.securityHash, duress_hash: hashes.duressHash, updated_by: by, updated_at: now };
    await this.db
      .insertInto('security_answers')
      .values({ beneficiary_id: beneficiaryId, ...row })
      .onConflict((oc) => oc.column('beneficiary_id').doUpdateSet(row))
      .execute();
  }

  async of(beneficiaryId: string): Promise<SecurityAnswerHashes | undefined> {
    const row = await this.db.selectFrom('security_answers').selectAll().where('beneficiary_id', '=', beneficiaryId).executeTakeFirst();
    return row && { securityHash: row.security_hash, duressHash: row.duress_hash };
  }

  /** Records the alarm's duress; false if it already had one (a duress escalates once). */
  async claimDuress(tx: Tx, alarmId: string, source: 'answer' | 'device', by: string, now: number): Promise<boolean> {
    const res = await tx
      .insertInto('alarm_duress')
      .values({ alarm_id: alarmId, source, recorded_by: by, at: now })
      .onConflict((oc) => oc.column('alarm_id').doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async duressOf(alarmId: string, tx: Db = this.db): Promise<{ source: string; at: number } | undefined> {
    const row = await tx.selectFrom('alarm_duress').select(['source', 'at']).where('alarm_id', '=', alarmId).executeTakeFirst();
    return row;
  }
}
