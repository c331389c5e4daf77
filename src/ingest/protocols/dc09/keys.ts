import fs from 'node:fs';
import { z } from 'zod';
import { CentinelaError } from '../../../domain/errors.ts';

/**
 * `CENTINELA_DC09_KEYS_FILE`: `{ "accounts": { "<account>": { "key": "<32, 48 or 64 hex>" } } }`.
 * An account listed here must encrypt; others may send plain text. Read once at start.
 */
const keysFileSchema = z.object({
  accounts: z.record(
    z.string().regex(/^[0-9A-F]{3,16}$/, 'expected a DC-09 account: 3–16 upper-case hex digits'),
    z.object({
      key: z
        .string()
        .regex(/^([0-9a-fA-F]{32}|[0-9a-fA-F]{48}|[0-9a-fA-F]{64})$/, 'expected an AES-128/192/256 key as 32, 48 or 64 hex digits'),
    }),
  ),
});

export type Dc09Keys = Map<string, Buffer>;

export function loadDc09Keys(file: string | undefined): Dc09Keys {
  if (!file) return new Map();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CentinelaError(
      'CENTINELA_ERR_CONFIG_INVALID',
      `CENTINELA_DC09_KEYS_FILE: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // JSON.parse quotes the text it failed on: that could be a key.
    throw new CentinelaError('CENTINELA_ERR_CONFIG_INVALID', `CENTINELA_DC09_KEYS_FILE: ${file} is not valid JSON`);
  }
  const parsed = keysFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // The message names the field, never the key's value.
    throw new CentinelaError('CENTINELA_ERR_CONFIG_INVALID', `CENTINELA_DC09_KEYS_FILE: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return new Map(Object.entries(parsed.data.accounts).map(([account, { key }]) => [account, Buffer.from(key, 'hex')]));
}
