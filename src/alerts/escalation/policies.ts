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
 *
 * Each kind (and the "*" fallback) has exactly one policy, never one chosen by how file names
 * sort: two files of one folder claiming the same kind stop the start, naming both; a centre's
 * file claiming a kind a shipped file also claims takes that kind over from it.
 */
export function loadPolicies(extraDir?: string, shippedDir: string = DEFAULT_POLICY_DIR): Policy[] {
  const files = new Map<string, { file: string; centre: boolean }>();
  const centreDir = extraDir && path.resolve(extraDir) !== path.resolve(shippedDir) ? extraDir : undefined;
  for (const file of jsonFiles(shippedDir, 'escalation policies')) files.set(file, { file: path.join(shippedDir, file), centre: false });
  if (centreDir)
    for (const file of jsonFiles(centreDir, 'escalation policies')) files.set(file, { file: path.join(centreDir, file), centre: true });
  const parsed = [...files.keys()].sort().map((name) => {
    const f = files.get(name) as { file: string; centre: boolean };
    return { ...f, policy: parsePolicy(f.file) };
  });
  const centreClaims = claimsOf(parsed.filter((p) => p.centre));
  claimsOf(parsed.filter((p) => !p.centre));
  const policies = parsed.flatMap(({ policy, centre }) => {
    if (centre) return [policy];
    const kinds = policy.kinds.filter((k) => !centreClaims.has(k));
    // Every kind of this shipped policy was taken over by the centre's files: it pages for nothing.
    return kinds.length > 0 ? [{ ...policy, kinds }] : [];
  });
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

/** Kind → the one file of these that claims it; two files claiming one kind stop the start, naming both. */
function claimsOf(parsed: readonly { file: string; policy: Policy }[]): Map<string, string> {
  const claimedBy = new Map<string, string>();
  for (const { file, policy } of parsed)
    for (const kind of policy.kinds) {
      const earlier = claimedBy.get(kind);
      if (earlier !== undefined && earlier !== file)
        throw new CentinelaError(
          'CENTINELA_ERR_CONFIG_INVALID',
          `escalation policies ${earlier} and ${file} both claim the kind "${kind}": which one pages would depend on how the file names sort; keep the kind in one of them`,
        );
      claimedBy.set(kind, file);
    }
  return claimedBy;
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
