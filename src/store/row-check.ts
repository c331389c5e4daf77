import type { z } from 'zod';
import { CentinelaError, isCentinelaError } from '../domain/errors.ts';

/**
 * Rows are checked once, where they leave the store: a value that does not match its domain
 * type is reported naming the table, the row and the field (never the value: it may be personal
 * data), instead of failing later deep inside a business rule.
 */
export const badRow = (table: string, id: string | number, field: string, why: string) =>
  new CentinelaError('CENTINELA_ERR_STORE_BAD_ROW', `${table} ${JSON.stringify(id)}: field ${field} is unreadable (${why})`, {
    table,
    id,
    field,
  });

export const isBadRow = (err: unknown): err is CentinelaError => isCentinelaError(err) && err.code === 'CENTINELA_ERR_STORE_BAD_ROW';

/** A column checked against its schema. */
export function checked<T>(table: string, id: string | number, field: string, schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRow(table, id, field, parsed.error.issues[0]?.message ?? 'invalid');
  return parsed.data;
}

/** A JSON text column, parsed and checked against its schema; NULL stays null. */
export function checkedJson<T>(table: string, id: string | number, field: string, schema: z.ZodType<T>, text: string | null): T | null {
  if (text === null) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw badRow(table, id, field, 'not JSON');
  }
  return checked(table, id, field, schema, raw);
}

/** What a read that skips unreadable rows returns: the good ones, and why the others were left out. */
export interface Checked<T> {
  items: T[];
  bad: CentinelaError[];
}

/** Maps each row, setting aside the ones that do not match instead of failing the whole read. */
export function mapEach<R, T>(rows: R[], map: (row: R) => T): Checked<T> {
  const out: Checked<T> = { items: [], bad: [] };
  for (const row of rows) {
    try {
      out.items.push(map(row));
    } catch (err) {
      if (!isBadRow(err)) throw err;
      out.bad.push(err);
    }
  }
  return out;
}
