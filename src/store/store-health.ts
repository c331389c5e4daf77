import fs from 'node:fs/promises';
import { type Kysely, sql } from 'kysely';
import { isCentinelaError } from '../domain/errors.ts';
import type { Logger } from '../platform/logger.ts';
import type { Database } from './schema.ts';

export type StoreFaultKind = 'disk_full' | 'read_only' | 'io_error' | 'unreachable';

/** Why the store cannot commit, in words an operator can act on (no personal data). */
export interface StoreFault {
  kind: StoreFaultKind;
  reason: string;
}

const REASONS: Record<StoreFaultKind, string> = {
  disk_full: 'the disk is full: the database cannot commit',
  read_only: 'the database is read-only: it cannot commit',
  io_error: 'the database cannot write to its disk (I/O error)',
  unreachable: 'the database cannot be reached',
};

const fault = (kind: StoreFaultKind): StoreFault => ({ kind, reason: REASONS[kind] });

/**
 * Says whether an error thrown by a store call is the store failing (disk full, read-only,
 * I/O error, database gone) rather than a bug or a caller's mistake. SQLite codes come from
 * better-sqlite3 (`SQLITE_FULL`, `SQLITE_IOERR_*`…); PostgreSQL's from its SQLSTATE (53100
 * disk_full, class 08 connection, 57P0x shutting down); the pool's own words when the server
 * does not answer at all. The cause chain is followed.
 */
export function classifyStoreError(err: unknown, depth = 0): StoreFault | undefined {
  if (err === null || typeof err !== 'object' || depth > 4) return undefined;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (code === 'SQLITE_FULL' || code === '53100' || code === 'ENOSPC') return fault('disk_full');
  if (code.startsWith('SQLITE_READONLY') || code === '25006') return fault('read_only');
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN' || code === 'EIO' || code === '58030') return fault('io_error');
  if (code.startsWith('08') || /^57P0[1-3]$/.test(code) || code === '53300') return fault('unreachable');
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND'].includes(code)) return fault('unreachable');
  if (/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(message))
    return fault('unreachable');
  if (isCentinelaError(err) && err.code === 'CENTINELA_ERR_STORE_UNAVAILABLE') return fault('unreachable');
  return classifyStoreError(e.cause, depth + 1);
}

export interface StoreCheck {
  ok: boolean;
  /** Why not, when not: the store fault's reason. */
  reason: string | null;
}

/**
 * The truth about whether the store can commit, for /readyz and for logging a fault once
 * (issue 13 point 5). A failure seen anywhere is noted here; the episode is logged once, as
 * what it is (a full disk as a full disk), and once more when a probe commit succeeds again.
 * The probe — free space on SQLite's disk, then a one-row commit — runs at most once a second.
 */
export class StoreHealth {
  private current: StoreFault | undefined;
  private logger: Logger | undefined;
  private last: { at: number; check: Promise<StoreCheck> } | undefined;

  constructor(
    private readonly store: { db: Kysely<Database>; engine: 'sqlite' | 'postgres' },
    private readonly options: { dataDir?: string | undefined; minFreeBytes?: number; probeEveryMs?: number } = {},
  ) {}

  useLogger(logger: Logger): void {
    this.logger = logger;
  }

  get fault(): StoreFault | undefined {
    return this.current;
  }

  /** Notes a failed store call; returns its fault, or undefined if the error is not the store failing. */
  noteFailure(err: unknown): StoreFault | undefined {
    const f = classifyStoreError(err);
    if (f) this.enter(f, err);
    return f;
  }

  private enter(f: StoreFault, err?: unknown): void {
    if (this.current?.kind === f.kind) return;
    this.current = f;
    // The error's own text is a driver message (no personal data); its stack is noise here.
    const detail = err instanceof Error ? { code: (err as { code?: unknown }).code, error: err.message } : {};
    this.logger?.error({ storeFault: f.kind, ...detail }, `store cannot commit: ${f.reason}`);
  }

  private leave(): void {
    if (!this.current) return;
    this.logger?.warn({ storeFault: this.current.kind }, 'store commits again');
    this.current = undefined;
  }

  /** Probes the store (cached for `probeEveryMs`): free disk space, then a one-row commit. */
  check(now = Date.now()): Promise<StoreCheck> {
    const every = this.options.probeEveryMs ?? 1000;
    if (this.last && now - this.last.at < every) return this.last.check;
    const check = this.probe(now);
    this.last = { at: now, check };
    return check;
  }

  private async probe(now: number): Promise<StoreCheck> {
    if (this.store.engine === 'sqlite' && this.options.dataDir) {
      const min = this.options.minFreeBytes ?? 1024 * 1024;
      const free = await fs.statfs(this.options.dataDir).then(
        (s) => s.bavail * s.bsize,
        () => Number.POSITIVE_INFINITY,
      );
      if (free < min) {
        this.enter(fault('disk_full'));
        return { ok: false, reason: REASONS.disk_full };
      }
    }
    try {
      await this.store.db.transaction().execute(async (trx) => {
        await sql`insert into store_probe (id, at) values (1, ${now}) on conflict (id) do update set at = excluded.at`.execute(trx);
      });
      this.leave();
      return { ok: true, reason: null };
    } catch (err) {
      const f = this.noteFailure(err) ?? { kind: 'io_error' as const, reason: `the database cannot commit: ${(err as Error).message}` };
      return { ok: false, reason: f.reason };
    }
  }
}
