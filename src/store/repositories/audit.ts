import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import { sha256Hex } from '../../platform/secrets.ts';
import type { Actor } from '../actor.ts';
import type { Engine } from '../database.ts';
import type { AuditLogTable, Database } from '../schema.ts';

export interface AuditEntry {
  action: 'read' | 'list' | 'create' | 'update' | 'delete' | 'export' | string;
  recordType: string;
  recordId: string;
  detail?: Record<string, unknown>;
}

export type VerifyResult = { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number; reason: string };

const GENESIS = '0'.repeat(64);

function linkHash(prevHash: string, row: Omit<AuditLogTable, 'hash' | 'prev_hash'>): string {
  const body = JSON.stringify([
    row.seq,
    row.at,
    row.actor_id,
    row.actor_role,
    row.action,
    row.record_type,
    row.record_id,
    row.request_id,
    row.detail,
  ]);
  return sha256Hex(`${prevHash}\n${body}`);
}

/**
 * P6: the append-only, hash-chained audit log. Each entry's hash covers the previous hash, so
 * editing, removing or reordering any entry breaks every link after it.
 */
export class AuditLog {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine,
    private readonly clock: Clock,
  ) {}

  /** Appends within the caller's transaction, so the audited action and its entry commit together. */
  async append(trx: Transaction<Database> | Kysely<Database>, actor: Actor, entry: AuditEntry): Promise<void> {
    // The chain head is locked so concurrent writers (several nodes on PostgreSQL) queue up.
    const headQuery = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
    const head = await (this.engine === 'postgres' ? headQuery.forUpdate() : headQuery).executeTakeFirstOrThrow();
    const row = {
      seq: head.seq + 1,
      at: this.clock.now(),
      actor_id: actor.id,
      actor_role: actor.role,
      action: entry.action,
      record_type: entry.recordType,
      record_id: entry.recordId,
      request_id: actor.requestId ?? null,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
    };
    const hash = linkHash(head.hash, row);
    await trx
      .insertInto('audit_log')
      .values({ ...row, prev_hash: head.hash, hash })
      .execute();
    await trx.updateTable('audit_head').set({ seq: row.seq, hash }).where('id', '=', 1).execute();
  }

  /**
   * Appends several entries with one lock of the chain head and a few multi-row inserts: a bulk
   * import's thousand entries hold the head (which every audited read waits for) for
   * milliseconds, not for a thousand round trips. The chain is the same as one append each.
   */
  async appendMany(trx: Transaction<Database>, actor: Actor, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const headQuery = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
    const head = await (this.engine === 'postgres' ? headQuery.forUpdate() : headQuery).executeTakeFirstOrThrow();
    const at = this.clock.now();
    let prevHash = head.hash;
    const rows = entries.map((entry, i) => {
      const row = {
        seq: head.seq + i + 1,
        at,
        actor_id: actor.id,
        actor_role: actor.role,
        action: entry.action,
        record_type: entry.recordType,
        record_id: entry.recordId,
        request_id: actor.requestId ?? null,
        detail: entry.detail ? JSON.stringify(entry.detail) : null,
      };
      const hash = linkHash(prevHash, row);
      const linked = { ...row, prev_hash: prevHash, hash };
      prevHash = hash;
      return linked;
    });
    for (let i = 0; i < rows.length; i += 200)
      await trx
        .insertInto('audit_log')
        .values(rows.slice(i, i + 200))
        .execute();
    await trx
      .updateTable('audit_head')
      .set({ seq: head.seq + rows.length, hash: prevHash })
      .where('id', '=', 1)
      .execute();
  }

  /** Appends in a transaction of its own. */
  async record(actor: Actor, entry: AuditEntry): Promise<void> {
    await this.db.transaction().execute((trx) => this.append(trx, actor, entry));
  }

  /** Walks the whole chain and reports the first entry whose link does not hold. */
  async verify(): Promise<VerifyResult> {
    let prevHash = GENESIS;
    let expectedSeq = 1;
    const pageSize = 5000;
    for (;;) {
      const rows = await this.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>=', expectedSeq)
        .orderBy('seq')
        .limit(pageSize)
        .execute();
      for (const row of rows) {
        if (row.seq !== expectedSeq)
          return { ok: false, entries: expectedSeq - 1, brokenAt: expectedSeq, reason: `entry ${expectedSeq} is missing` };
        if (row.prev_hash !== prevHash)
          return {
            ok: false,
            entries: expectedSeq - 1,
            brokenAt: row.seq,
            reason: `entry ${row.seq} does not link to entry ${row.seq - 1}`,
          };
        if (linkHash(prevHash, row) !== row.hash)
          return { ok: false, entries: expectedSeq - 1, brokenAt: row.seq, reason: `entry ${row.seq} was altered after it was written` };
        prevHash = row.hash;
        expectedSeq += 1;
      }
      if (rows.length < pageSize) break;
    }
    const head = await this.db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
    if (head.seq !== expectedSeq - 1 || head.hash !== prevHash) {
      return {
        ok: false,
        entries: expectedSeq - 1,
        brokenAt: expectedSeq,
        reason: `the chain ends at entry ${expectedSeq - 1} but its head says ${head.seq}: entries were removed`,
      };
    }
    return { ok: true, entries: expectedSeq - 1 };
  }

  async list(opts: { recordType?: string; recordId?: string; limit?: number }) {
    let q = this.db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(opts.limit ?? 100);
    if (opts.recordType) q = q.where('record_type', '=', opts.recordType);
    if (opts.recordId) q = q.where('record_id', '=', opts.recordId);
    return q.execute();
  }

  /** The hash of the chain's newest entry: what an evidence export is vouched for by. */
  async head(tx: Transaction<Database> | Kysely<Database> = this.db): Promise<{ seq: number; hash: string }> {
    return tx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  }
}
