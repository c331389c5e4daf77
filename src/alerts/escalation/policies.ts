import fs from 'node:fs';
import path from 'node:path';
import { CentinelaError } from '../../domain/errors.ts';
import { type Policy, policySchema } from '../../domain/escalation.ts';
import { projectPath } from '../../platform/index.ts';

export const DEFAULT_POLICY_DIR = projectPath('src', 'alerts', 'policies');

/**
 * Policies are data (issue 4): every `*.json` in the folder is validated at start, and a policy
 * with a negative delay or an unknown target stops the start naming the file and the field.
 */
export function loadPolicies(dir: string = DEFAULT_POLICY_DIR): Policy[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const policies = files.map((file) => parsePolicy(path.join(dir, file)));
  if (!policies.some((p) => p.kinds.includes('*'))) {
    throw new CentinelaError('CENTINELA_ERR_CONFIG_INVALID', `escalation policies in ${dir}: none covers every kind ("*"); add it to one`);
  }
  return policies;
}

export function parsePolicy(file: string): Policy {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CentinelaError('CENTINELA_ERR_CONFIG_INVALID', `escalation policy ${file}: not readable JSON (${(err as Error).message})`);
  }
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new CentinelaError('CENTINELA_ERR_CONFIG_INVALID', `escalation policy ${file} is invalid: ${why}`);
  }
  return parsed.data;
}
