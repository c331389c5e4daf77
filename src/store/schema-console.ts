/** Tables owned by the console (migration 006-console). Times are epoch milliseconds. */

/**
 * One browser login. Only a SHA-256 of the session id is stored: a copy of the database does
 * not let anyone ride a live session (the id itself has 256 bits of entropy, so a fast hash
 * is enough, as for API tokens).
 */
export interface ConsoleSessionTable {
  id_hash: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface ConsoleTables {
  console_sessions: ConsoleSessionTable;
}
