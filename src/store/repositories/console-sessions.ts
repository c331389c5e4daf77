import type { Kysely } from 'kysely';
import { roleSchema } from '../../domain/roles.ts';
import { checked } from '../row-check.ts';
import type { Database } from '../schema.ts';
import type { Principal } from './users.ts';

/** A session that may still be used: not expired, not revoked, its user enabled. */
export interface LiveConsoleSession {
  idHash: string;
  createdAt: number;
  lastSeenAt: number;
  principal: Principal;
}

/**
 * Console sessions, stored by the hash of their id (src/api/console/sessions.ts decides the
 * lifetimes and hashes the ids; this repository only keeps the rows). Times are epoch ms.
 */
export class ConsoleSessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores a new session, first deleting sessions that ended before `pruneEndedBefore`. */
  async open(session: { idHash: string; userId: string; now: number; expiresAt: number }, pruneEndedBefore: number): Promise<void> {
    await this.db.deleteFrom('console_sessions').where('expires_at', '<', pruneEndedBefore).execute();
    await this.db
      .insertInto('console_sessions')
      .values({
        id_hash: session.idHash,
        user_id: session.userId,
        created_at: session.now,
        last_seen_at: session.now,
        expires_at: session.expiresAt,
        revoked_at: null,
      })
      .execute();
  }

  /**
   * The live session with this hash. A session is not live once its user's API tokens were
   * revoked after it was opened: revoking a person's tokens logs their browser out too.
   */
  async findLive(idHash: string, now: number): Promise<LiveConsoleSession | undefined> {
    const row = await this.db
      .selectFrom('console_sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.id_hash', 's.created_at', 's.last_seen_at', 'u.id as userId', 'u.name', 'u.role'])
      .where('s.id_hash', '=', idHash)
      .where('s.revoked_at', 'is', null)
      .where('s.expires_at', '>', now)
      .where('u.disabled_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    const revokedSince = await this.db
      .selectFrom('api_tokens')
      .select('id')
      .where('user_id', '=', row.userId)
      .where('revoked_at', '>=', row.created_at)
      .executeTakeFirst();
    if (revokedSince) return undefined;
    const role = checked('users', row.userId, 'role', roleSchema, row.role);
    return {
      idHash: row.id_hash,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      principal: { userId: row.userId, name: row.name, role },
    };
  }

  async touch(idHash: string, now: number): Promise<void> {
    await this.db.updateTable('console_sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
  }

  async revoke(idHash: string, now: number): Promise<void> {
    await this.db
      .updateTable('console_sessions')
      .set({ revoked_at: now })
      .where('id_hash', '=', idHash)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** Ends every open session of a user (a new password is often the answer to a leaked one). */
  async revokeAllOf(userId: string, now: number): Promise<void> {
    await this.db
      .updateTable('console_sessions')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
  }
}
