import type { z } from 'zod';

/**
 * A stored value that does not match its domain type (a corrupted JSON column, an unknown state)
 * is caught here, at the store's edge, with an error naming the table, the row and the field,
 * never deep inside a business rule. A bug or a hand-edited row, so it throws.
 */
export class CorruptRowError extends Error {
  constructor(
    readonly table: string,
    readonly rowId: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${table} ${JSON.stringify(rowId)}: field ${field} does not hold a valid value (${detail})`);
    this.name = 'CorruptRowError';
  }
}

/** The value parsed by its domain schema, or a CorruptRowError naming where it came from. */
export function checkField<T>(schema: z.ZodType<T>, value: unknown, where: { table: string; id: string; field: string }): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new CorruptRowError(where.table, where.id, where.field, parsed.error.issues[0]?.message ?? 'invalid');
}
