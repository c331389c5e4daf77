import { z } from 'zod';
import { CentinelaError } from '../domain/errors.ts';

/**
 * The one reader of stored rows. Rows are turned into domain values once, where they leave the
 * store (docs/architecture.md): a value that does not match its domain type raises
 * `CorruptRowError`, naming the table, the row and the field (never the value: it may be
 * personal data), instead of failing later deep inside a business rule.
 *
 * A read of one row fails with that error. A read of a list that must still be served (the due
 * steps, the outbox, supervision) sets the row aside with `mapEach` and hands it on: in the
 * `bad` list the caller gets back, or, for the health repositories, to the `BadRows` listeners.
 */
export class CorruptRowError extends CentinelaError {
  constructor(
    readonly table: string,
    readonly id: string | number,
    readonly field: string,
    why: string,
  ) {
    super('CENTINELA_ERR_STORE_BAD_ROW', `${table} ${JSON.stringify(id)}: field ${field} is unreadable (${why})`, { table, id, field });
    this.name = 'CorruptRowError';
  }
}

export const isBadRow = (err: unknown): err is CorruptRowError => err instanceof CorruptRowError;

/** A column checked against its schema. */
export function checked<T>(table: string, id: string | number, field: string, schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CorruptRowError(table, id, field, parsed.error.issues[0]?.message ?? 'invalid');
  return parsed.data;
}

/** A whole row checked against a schema of its columns; the field named is the first that does not fit. */
export function decodeRow<T>(table: string, id: string | number, schema: z.ZodType<T>, row: unknown): T {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new CorruptRowError(table, id, issue?.path.join('.') || 'row', issue?.message ?? 'does not match its type');
}

/** 0/1 (SQLite) or a boolean (PostgreSQL) → a boolean. */
export const flag = z.union([z.literal(0), z.literal(1), z.boolean()]).transform((v) => v === 1 || v === true);

/** JSON text, parsed and validated against its schema. */
export const jsonText = <T>(schema: z.ZodType<T>) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

/**
 * A JSON text column, parsed and checked against its schema; NULL stays null. Parsed here rather
 * than through `jsonText(schema)`, which builds a schema on every call: rows are read on the alarm
 * path, and building zod schemas per row was a measurable share of an alarm's CPU (bench/alarm-cpu.ts).
 */
export function checkedJson<T>(table: string, id: string | number, field: string, schema: z.ZodType<T>, text: string | null): T | null {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CorruptRowError(table, id, field, 'not JSON');
  }
  return checked(table, id, field, schema, value);
}

/** A text column that must be one of `values`, checked without a zod schema (hot path, as above). */
export function checkedOneOf<const V extends readonly string[]>(
  table: string,
  id: string | number,
  field: string,
  values: V,
  value: unknown,
): V[number] {
  if (typeof value === 'string' && values.includes(value)) return value as V[number];
  throw new CorruptRowError(table, id, field, `expected one of ${values.map((v) => JSON.stringify(v)).join('|')}`);
}

/** What a read that sets unreadable rows aside returns: the good ones, and why the others were left out. */
export interface Checked<T> {
  items: T[];
  bad: CorruptRowError[];
}

/**
 * Maps each row, setting aside the ones that do not fit instead of failing the whole read, so
 * one corrupt row never stops the others. Any other error fails the read.
 */
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

/**
 * Where the health repositories report the rows they set aside from a list, so one corrupt row
 * never stops the reads (and the supervision) of every other device; the part that listens logs it.
 */
export class BadRows {
  private readonly listeners = new Set<(err: CorruptRowError) => void>();

  listen(listener: (err: CorruptRowError) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Decodes every row with its schema; those that do not fit are reported and left out. */
  decodeAll<R, T>(table: string, rows: R[], idOf: (row: R) => string, schema: z.ZodType<T>): T[] {
    const { items, bad } = mapEach(rows, (row) => decodeRow(table, idOf(row), schema, row));
    for (const err of bad) for (const listener of this.listeners) listener(err);
    return items;
  }
}
