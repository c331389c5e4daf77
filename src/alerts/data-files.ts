import fs from 'node:fs';
import { CentinelaError } from '../domain/errors.ts';

/** The `*.json` files of a policy or template folder; a folder that cannot be read stops the start, naming it. */
export function jsonFiles(dir: string, what: string): string[] {
  try {
    return fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch (err) {
    throw new CentinelaError(
      'CENTINELA_ERR_CONFIG_INVALID',
      `${what}: folder ${dir} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}
