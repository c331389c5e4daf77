import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import { hashToken } from '../../platform/secrets.ts';
import type { ConsoleSessionRepository, Principal } from '../../store/index.ts';

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
    private readonly sessions: ConsoleSessionRepository,
    private readonly clock: Clock,
  ) {}

  async create(userId: string): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    // Logins are rare and sessions few: pruning at login needs no scheduled job.
    await this.sessions.open({ idHash: hashToken(id), userId, now, expiresAt: now + SESSION_TTL_MS }, now - KEEP_ENDED_MS);
    return id;
  }

  /** The session's user, or undefined when the session is unknown, expired or revoked. */
  async resolve(id: string): Promise<Principal | undefined> {
    const now = this.clock.now();
    const session = await this.sessions.findLive(hashToken(id), now);
    if (!session) return undefined;
    if (now - session.lastSeenAt > TOUCH_EVERY_MS) await this.sessions.touch(session.idHash, now);
    return session.principal;
  }

  async revoke(id: string): Promise<void> {
    await this.sessions.revoke(hashToken(id), this.clock.now());
  }
}

/**
 * The CSRF token of a session, derived from its id: the page reads it from the API (never from
 * the HttpOnly cookie) and echoes it in a header; a page on another origin can do neither.
 */
export function csrfTokenOf(sessionId: string): string {
  return createHmac('sha256', sessionId).update('centinela-console-csrf').digest('base64url');
}
