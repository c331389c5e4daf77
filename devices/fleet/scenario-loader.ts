import fs from 'node:fs/promises';
import { projectPath } from '../../src/platform/project-root.ts';
import { expandCrowd } from './crowd.ts';
import { type Scenario, scenarioSchema } from './scenario-schema.ts';

/** The realistic default: the mechanism's scale (hundreds of people in 20 states), a remote mountain community, devices that die. */
export const DEFAULT_SCENARIO_PATH = projectPath('devices', 'scenarios', 'default.json');
/** Three devices, for tests. */
export const TINY_SCENARIO_PATH = projectPath('devices', 'scenarios', 'tiny.json');

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

/** Validates a scenario; the error names the source and every bad field by its path. */
export function parseScenario(raw: unknown, source = 'scenario'): Scenario {
  const parsed = scenarioSchema.safeParse(raw);
  // The crowd is generated after validation: its ids and numbers are unique by construction.
  if (parsed.success) return expandCrowd(parsed.data);
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new ScenarioError(`${source}: ${issues}`);
}

export async function loadScenario(file: string = DEFAULT_SCENARIO_PATH): Promise<Scenario> {
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new ScenarioError(`${file}: cannot read a JSON scenario (${(err as Error).message})`);
  }
  return parseScenario(raw, file);
}
