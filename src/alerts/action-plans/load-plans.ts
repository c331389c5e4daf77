import fs from 'node:fs';
import path from 'node:path';
import { type ActionPlan, actionPlanSchema, mergePlans } from '../../domain/action-plan.ts';
import { CentinelaError } from '../../domain/errors.ts';
import { projectPath } from '../../platform/index.ts';

export const DEFAULT_PLAN_DIR = projectPath('src', 'alerts', 'plans');
/** A centre's own plans live in a folder beside the shipped ones; same name overrides. */
export const CENTRE_PLAN_FOLDER = 'centre';

const invalid = (message: string) => new CentinelaError('CENTINELA_ERR_CONFIG_INVALID', message);

/**
 * Action plans are data (issue 18): every `*.json` of the shipped folder, then of the centre's
 * folder beside it, is validated at start. An unknown step type, a step waiting for one that
 * does not exist, or a cycle stops the start naming the file.
 */
export function loadPlans(dir: string = DEFAULT_PLAN_DIR, centreDir: string = path.join(dir, CENTRE_PLAN_FOLDER)): ActionPlan[] {
  const shipped = readFolder(dir);
  const centre = fs.existsSync(centreDir) ? readFolder(centreDir) : [];
  return mergePlans(shipped, centre);
}

function readFolder(dir: string): ActionPlan[] {
  const files = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((f) => f.isFile() && f.name.endsWith('.json'))
    .map((f) => f.name)
    .sort();
  const plans = files.map((file) => parsePlan(path.join(dir, file)));
  const seen = new Map<string, string>();
  plans.forEach((p, i) => {
    const other = seen.get(p.name);
    if (other) throw invalid(`action plan ${path.join(dir, files[i] as string)}: name "${p.name}" is already used by ${other}`);
    seen.set(p.name, files[i] as string);
  });
  return plans;
}

export function parsePlan(file: string): ActionPlan {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw invalid(`action plan ${file}: not readable JSON (${(err as Error).message})`);
  }
  const parsed = actionPlanSchema.safeParse(raw);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw invalid(`action plan ${file} is invalid: ${why}`);
  }
  return parsed.data;
}
