import { z } from 'zod';
import { CentinelaError } from '../domain/errors.ts';
import { badRow } from './row-check.ts';

/** Decodes one row with its schema, or throws the error that names table, id and field. */
export function decodeRow<T>(table: string, id: string, schema: z.ZodType<T>, row: unknown): T {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw badRow(table, id, issue?.path.join('.') || 'row', issue?.message ?? 'does not match its type');
}

/** 0/1 (SQLite) or a boolean (PostgreSQL) → a boolean. */
export const flag = z.union([z.literal(0), z.literal(1), z.boolean()]).transform((v) => v === 1 || v === true);

/** JSON text, parsed and validated; corrupt text is an issue on the field, not a crash deep in a rule. */
export const jsonText = <T>(schema: z.ZodType<T>) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

/**
 * Where the store reports rows it left out of a list. A bad row is skipped and reported, so one
 * corrupt row never stops the reads (and the supervision) of every other device; the part that
 * listens logs it.
 */
export class BadRows {
  private readonly listeners = new Set<(err: CentinelaError) => void>();

  listen(listener: (err: CentinelaError) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Decodes every row; those that do not match are reported and left out. */
  decodeAll<R, T>(table: string, rows: R[], idOf: (row: R) => string, schema: z.ZodType<T>): T[] {
    const out: T[] = [];
    for (const row of rows) {
      try {
        out.push(decodeRow(table, idOf(row), schema, row));
      } catch (err) {
        if (!(err instanceof CentinelaError)) throw err;
        for (const listener of this.listeners) listener(err);
      }
    }
    return out;
  }
}
