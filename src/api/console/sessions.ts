import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Role } from '../../domain/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import { hashToken } from '../../platform/secrets.ts';
import type { Database, Principal } from '../../store/index.ts';

/** A shift is 12 hours; a session outlives it a little so no one is logged out mid-alarm. */
export const SESSION_TTL_MS = 14 * 60 * 60 * 1000;
/** Ended sessions are kept this long (who was logged in when), then deleted at a later login. */
const KEEP_ENDED_MS = 30 * 24 * 60 * 60 * 1000;
/** `last_seen_at` is written at most this often: one write per request would be wasted I/O. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

/**
 * Console sessions. The browser holds a random id in an HttpOnly cookie; the database holds
 * only its hash. A session dies at its expiry, at logout, when the user is disabled, and when
 * the user's API tokens are revoked (an administrator revoking "everything" of a person who
 * left means the browser too).
 */
export class ConsoleSessions {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async create(userId: string): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    // Logins are rare and sessions few: pruning here needs no scheduled job.
    await this.db
      .deleteFrom('console_sessions')
      .where('expires_at', '<', now - KEEP_ENDED_MS)
      .execute();
    await this.db
      .insertInto('console_sessions')
      .values({
        id_hash: hashToken(id),
        user_id: userId,
        created_at: now,
        last_seen_at: now,
        expires_at: now + SESSION_TTL_MS,
        revoked_at: null,
      })
      .execute();
    return id;
  }

  /** The session's user, or undefined when the session is unknown, expired or revoked. */
  async resolve(id: string): Promise<Principal | undefined> {
    const now = this.clock.now();
    const row = await this.db
      .selectFrom('console_sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.id_hash', 's.created_at', 's.last_seen_at', 'u.id as userId', 'u.name', 'u.role'])
      .where('s.id_hash', '=', hashToken(id))
      .where('s.revoked_at', 'is', null)
      .where('s.expires_at', '>', now)
      .where('u.disabled_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    // A token revocation after this login ends the session too (revoke-tokens is "log them out").
    const revokedSince = await this.db
      .selectFrom('api_tokens')
      .select('id')
      .where('user_id', '=', row.userId)
      .where('revoked_at', '>=', row.created_at)
      .executeTakeFirst();
    if (revokedSince) return undefined;
    if (now - row.last_seen_at > TOUCH_EVERY_MS)
      await this.db.updateTable('console_sessions').set({ last_seen_at: now }).where('id_hash', '=', row.id_hash).execute();
    return { userId: row.userId, name: row.name, role: row.role as Role };
  }

  async revoke(id: string): Promise<void> {
    await this.db
      .updateTable('console_sessions')
      .set({ revoked_at: this.clock.now() })
      .where('id_hash', '=', hashToken(id))
      .where('revoked_at', 'is', null)
      .execute();
  }
}

/**
 * The CSRF token of a session, derived from its id: the page reads it from the API (never from
 * the HttpOnly cookie) and echoes it in a header; a page on another origin can do neither.
 */
export function csrfTokenOf(sessionId: string): string {
  return createHmac('sha256', sessionId).update('centinela-console-csrf').digest('base64url');
}
