import fs from 'node:fs';
import path from 'node:path';
import { DEVICE_OFFLINE_TASK } from '../../domain/alarm.ts';
import { CentinelaError } from '../../domain/errors.ts';
import { type Policy, policySchema } from '../../domain/escalation.ts';
import { projectPath } from '../../platform/index.ts';
import { jsonFiles } from '../data-files.ts';

export const DEFAULT_POLICY_DIR = projectPath('src', 'alerts', 'policies');

/**
 * Policies are data (issue 4): every `*.json` is validated at start, and a policy with a negative
 * delay or an unknown target stops the start naming the file and the field.
 *
 * Issue 14 §9: a centre's folder (CENTINELA_POLICY_DIR) ADDS to the shipped policies, as the
 * README says; a centre's file overrides the shipped file of the same name. A set that leaves
 * silent devices (kind `device_offline`, P3) or some kind without a policy is refused.
 */
export function loadPolicies(extraDir?: string, shippedDir: string = DEFAULT_POLICY_DIR): Policy[] {
  const files = new Map<string, string>();
  for (const dir of extraDir && path.resolve(extraDir) !== path.resolve(shippedDir) ? [shippedDir, extraDir] : [shippedDir])
    for (const file of jsonFiles(dir, 'escalation policies')) files.set(file, path.join(dir, file));
  const policies = [...files.keys()].sort().map((file) => parsePolicy(files.get(file) as string));
  const where = extraDir ? `${shippedDir} and ${extraDir}` : shippedDir;
  if (!policies.some((p) => p.kinds.includes('*'))) {
    throw new CentinelaError(
      'CENTINELA_ERR_CONFIG_INVALID',
      `escalation policies in ${where}: none covers every kind ("*"); add it to one`,
    );
  }
  if (!policies.some((p) => p.kinds.includes(DEVICE_OFFLINE_TASK))) {
    throw new CentinelaError(
      'CENTINELA_ERR_CONFIG_INVALID',
      `escalation policies in ${where}: none handles silent devices (kind "${DEVICE_OFFLINE_TASK}"); a silent device is an unprotected person: keep device-offline.json or add a policy with "kinds": ["${DEVICE_OFFLINE_TASK}"]`,
    );
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
