import fs from 'node:fs';
import { CentinelaError } from '../../domain/errors.ts';
import { type SuitabilityThresholds, thresholdsSchema } from '../../domain/suitability.ts';
import { projectPath } from '../../platform/index.ts';

export const DEFAULT_THRESHOLDS_FILE = projectPath('src', 'health', 'suitability', 'thresholds.json');

/**
 * The suitability thresholds are data (issue 19): read and validated once, at start. A file that
 * does not parse or a rule that does not fit stops the start, naming the file and the field.
 */
export function loadSuitabilityThresholds(file: string = DEFAULT_THRESHOLDS_FILE): SuitabilityThresholds {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CentinelaError(
      'CENTINELA_ERR_CONFIG_INVALID',
      `suitability thresholds ${file}: not readable JSON (${(err as Error).message})`,
    );
  }
  const parsed = thresholdsSchema.safeParse(raw);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new CentinelaError('CENTINELA_ERR_CONFIG_INVALID', `suitability thresholds ${file} are invalid: ${why}`);
  }
  return parsed.data;
}
