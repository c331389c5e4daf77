import type { Scenario } from '../../../devices/index.ts';
import { createPrng } from '../../../devices/index.ts';
import { aggressorMatch } from '../../domain/dispatch.ts';

export interface PanicCadence {
  /** Real seconds between the demo's panic presses. */
  everyS: number;
  /** Real seconds before the first press. */
  firstAfterS: number;
  /** The first press: a person whose own jurisdiction's police is a presumed aggressor, when there is one. */
  first: { deviceId: string; beneficiaryId: string; aggressorCase: boolean } | undefined;
  /** The buttons pressed after the first, in this order, round and round. */
  rotation: string[];
}

/**
 * When and where the demo presses: a panic on a healthy panic button every `everyS` real
 * seconds, so the terminal's promise holds whatever the random plan would have done; the first
 * on a case whose police is a presumed aggressor, so a newcomer sees the skip (P4) at once.
 */
export function panicCadence(scenario: Scenario, seed: number | string, everyS: number): PanicCadence {
  const healthy = scenario.beneficiaries.flatMap((b) =>
    b.devices.filter((d) => d.model === 'panic-button' && d.diesAfterS === undefined && d.disconnects === undefined).map((d) => ({ b, d })),
  );
  const aggressorCase = healthy.find(({ b }) =>
    scenario.responders.some(
      (r) =>
        r.stateCode === b.stateCode &&
        (r.kind === 'municipal_police' || r.kind === 'state_police') &&
        aggressorMatch({ ...r, municipality: r.municipality ?? null }, b.presumedAggressors) !== undefined,
    ),
  );
  const firstPick = aggressorCase ?? healthy[0];
  const prng = createPrng(seed, 'demo-presses');
  const rotation = healthy.map(({ d }) => d.id).filter((id) => id !== firstPick?.d.id);
  for (let i = rotation.length - 1; i > 0; i--) {
    const j = prng.int(0, i);
    [rotation[i], rotation[j]] = [rotation[j] as string, rotation[i] as string];
  }
  if (rotation.length === 0 && firstPick) rotation.push(firstPick.d.id);
  return {
    everyS,
    firstAfterS: Math.min(20, everyS),
    first: firstPick ? { deviceId: firstPick.d.id, beneficiaryId: firstPick.b.id, aggressorCase: aggressorCase !== undefined } : undefined,
    rotation,
  };
}
