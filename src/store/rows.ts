import { CentinelaError, conflict } from '../domain/errors.ts';

/** Epoch ms ⇄ ISO-8601, at the boundary between tables and the domain. */
export const toIso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();
export const fromIso = (iso: string | null | undefined): number | null => (iso === null || iso === undefined ? null : Date.parse(iso));
export const bool = (v: number | boolean): boolean => v === 1 || v === true;
export const parseJson = <T>(text: string | null): T => (text === null ? (null as T) : (JSON.parse(text) as T));

type DbError = { code?: string; message?: string };

/**
 * Turns the engines' constraint violations into catalogue errors, so SQLite and PostgreSQL
 * answer the same: a duplicate key is a 409, a missing referenced record a 400.
 */
export function mapConstraintError(err: unknown, what: string, id: string): never {
  const e = err as DbError;
  const code = e.code ?? '';
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') throw conflict(what, id);
  if (code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    throw new CentinelaError('CENTINELA_ERR_VALIDATION', `${what} ${JSON.stringify(id)} refers to a record that does not exist`, {
      what,
      id,
    });
  }
  throw err;
}
