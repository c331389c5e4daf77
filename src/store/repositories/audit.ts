import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import { sha256Hex } from '../../platform/secrets.ts';
import type { Actor } from '../actor.ts';
import type { AuditCheckpoint, CheckpointReading } from '../audit-checkpoints.ts';
import type { Engine } from '../database.ts';
import type { AuditLogTable, Database } from '../schema.ts';

export interface AuditEntry {
  action: 'read' | 'list' | 'create' | 'update' | 'delete' | 'export' | string;
  recordType: string;
  recordId: string;
  detail?: Record<string, unknown>;
}

export type VerifyResult =
  /** `checkpoints`/`anchoredUpTo`: how many keyed checkpoints held, up to which entry (when verified with them). */
  | { ok: true; entries: number; checkpoints?: number; anchoredUpTo?: number }
  | { ok: false; entries: number; brokenAt: number; reason: string };

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

/** The entry that follows `head` in the chain, as both engines' writers insert it. */
export function linkedAuditRow(head: { seq: number; hash: string }, actor: Actor, entry: AuditEntry, at: number): AuditLogTable {
  const row = {
    seq: head.seq + 1,
    at,
    actor_id: actor.id,
    actor_role: actor.role,
    action: entry.action,
    record_type: entry.recordType,
    record_id: entry.recordId,
    request_id: actor.requestId ?? null,
    detail: entry.detail ? JSON.stringify(entry.detail) : null,
  };
  return { ...row, prev_hash: head.hash, hash: linkHash(head.hash, row) };
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
    const head = await this.lockHead(trx);
    const row = linkedAuditRow(head, actor, entry, this.clock.now());
    await trx.insertInto('audit_log').values(row).execute();
    await trx.updateTable('audit_head').set({ seq: row.seq, hash: row.hash }).where('id', '=', 1).execute();
  }

  /**
   * Appends several entries with one lock of the chain head and a few multi-row inserts: a bulk
   * import's thousand entries hold the head (which every audited read waits for) for
   * milliseconds, not for a thousand round trips. The chain is the same as one append each.
   */
  async appendMany(trx: Transaction<Database>, actor: Actor, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const head = await this.lockHead(trx);
    const at = this.clock.now();
    const rows: AuditLogTable[] = [];
    for (const entry of entries) rows.push(linkedAuditRow(rows.at(-1) ?? head, actor, entry, at));
    const last = rows.at(-1) as AuditLogTable;
    for (let i = 0; i < rows.length; i += 200)
      await trx
        .insertInto('audit_log')
        .values(rows.slice(i, i + 200))
        .execute();
    await trx.updateTable('audit_head').set({ seq: last.seq, hash: last.hash }).where('id', '=', 1).execute();
  }

  /** The chain head, locked so concurrent writers (several nodes on PostgreSQL) queue up. */
  private async lockHead(trx: Transaction<Database> | Kysely<Database>): Promise<{ seq: number; hash: string }> {
    const headQuery = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
    return (this.engine === 'postgres' ? headQuery.forUpdate() : headQuery).executeTakeFirstOrThrow();
  }

  /** Appends in a transaction of its own. */
  async record(actor: Actor, entry: AuditEntry): Promise<void> {
    await this.db.transaction().execute((trx) => this.append(trx, actor, entry));
  }

  /**
   * Walks the whole chain and reports the first entry whose link does not hold. With the keyed
   * checkpoints kept outside the database (src/store/audit-checkpoints.ts, docs/audit.md) it also
   * finds a chain rewritten with its hashes recomputed, and newest entries deleted with the head.
   */
  async verify(anchor?: CheckpointReading): Promise<VerifyResult> {
    const forged = anchor?.forged[0];
    if (forged)
      return {
        ok: false,
        entries: 0,
        brokenAt: forged.seq,
        reason: `checkpoint line ${forged.line} is not signed with the audit key: the checkpoint file was edited`,
      };
    const anchors = new Map<number, AuditCheckpoint[]>();
    for (const c of anchor?.checkpoints ?? []) anchors.set(c.seq, [...(anchors.get(c.seq) ?? []), c]);
    let lastGoodAnchor = 0;
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
        const differs = anchors.get(row.seq)?.find((c) => c.hash !== row.hash);
        if (differs)
          return {
            ok: false,
            entries: expectedSeq - 1,
            brokenAt: lastGoodAnchor + 1,
            reason:
              `entries ${lastGoodAnchor + 1}–${row.seq} were rewritten and the chain recomputed: entry ${row.seq} no longer has ` +
              `the hash checkpointed at ${new Date(differs.at).toISOString()}`,
          };
        if (anchors.has(row.seq)) lastGoodAnchor = row.seq;
        prevHash = row.hash;
        expectedSeq += 1;
      }
      if (rows.length < pageSize) break;
    }
    const last = expectedSeq - 1;
    const beyond = (anchor?.checkpoints ?? []).filter((c) => c.seq > last).sort((a, b) => b.seq - a.seq)[0];
    if (beyond)
      return {
        ok: false,
        entries: last,
        brokenAt: last + 1,
        reason: `entries ${last + 1}–${beyond.seq} were deleted: the chain ends at entry ${last} but a checkpoint of ${new Date(beyond.at).toISOString()} saw entry ${beyond.seq}`,
      };
    const head = await this.db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
    if (head.seq !== last || head.hash !== prevHash) {
      return {
        ok: false,
        entries: last,
        brokenAt: expectedSeq,
        reason: `the chain ends at entry ${last} but its head says ${head.seq}: entries were removed`,
      };
    }
    if (!anchor) return { ok: true, entries: last };
    return { ok: true, entries: last, checkpoints: anchor.checkpoints.length, anchoredUpTo: lastGoodAnchor };
  }

  async list(opts: { recordType?: string; recordId?: string; limit?: number; actions?: string[] }) {
    let q = this.db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(opts.limit ?? 100);
    if (opts.recordType) q = q.where('record_type', '=', opts.recordType);
    if (opts.recordId) q = q.where('record_id', '=', opts.recordId);
    if (opts.actions?.length) q = q.where('action', 'in', opts.actions);
    return q.execute();
  }

  /** The hash of the chain's newest entry: what an evidence export is vouched for by. */
  async head(tx: Transaction<Database> | Kysely<Database> = this.db): Promise<{ seq: number; hash: string }> {
    return tx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  }
}
