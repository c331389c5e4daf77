import { z } from 'zod';
import { MEXICAN_STATES, type MexicanState, stateCodeSchema } from '../../src/domain/mexico.ts';
import { BENEFICIARY_KINDS, RISK_LEVELS } from '../../src/domain/registry.ts';
import { createPrng, type Prng } from '../simulators/prng.ts';
import type { Terrain } from '../simulators/satellite-phone.ts';
import { CAPITALS } from './crowd-places.ts';
import type { Scenario, ScenarioBeneficiary } from './scenario-schema.ts';

/**
 * A crowd: many invented people generated from a seed, so a scenario can reach the mechanism's
 * scale (hundreds of people in most states) without thousands of hand-written lines.
 */
export const crowdSchema = z.strictObject({
  people: z.number().int().min(1).max(5000),
  states: z.array(stateCodeSchema).min(1),
  /** Share of people who also have a camera at home, and a satellite phone. */
  cameraShare: z.number().min(0).max(1).default(0.5),
  satelliteShare: z.number().min(0).max(1).default(0.2),
});
export type Crowd = z.infer<typeof crowdSchema>;

const NAMES = [
  'Ceiba',
  'Quetzal',
  'Jaguar',
  'Colibrí',
  'Ocelote',
  'Tecolote',
  'Garza',
  'Venado',
  'Ajolote',
  'Cenzontle',
  'Huizache',
  'Mezquite',
  'Nopal',
  'Maguey',
  'Tlacuache',
  'Coyote',
  'Gavilán',
  'Halcón',
  'Tortuga',
  'Manatí',
  'Guacamaya',
  'Tucán',
  'Iguana',
  'Zopilote',
  'Cacao',
  'Copal',
  'Amate',
  'Ocote',
  'Sabino',
  'Tule',
];
const QUALITIES = [
  'del Norte',
  'del Sur',
  'de la Sierra',
  'del Valle',
  'de la Costa',
  'del Río',
  'del Monte',
  'de la Selva',
  'del Lago',
  'de la Loma',
  'del Alba',
  'de la Luna',
];
const RELATIONS = ['hermana', 'hermano', 'madre', 'pareja', 'colega', 'abogada', 'vecino'];
const TERRAINS: Terrain[] = ['open', 'urban', 'forest', 'mountain'];
const RESPONDER_KINDS = [
  ['municipal_police', 'Policía Municipal de'],
  ['state_police', 'Policía Estatal de'],
  ['federal_force', 'Guardia Nacional, coordinación'],
  ['mechanism_rapid_reaction', 'Mecanismo de Protección, reacción rápida'],
] as const;

/** Never a real number: +52 0…, which no Mexican number starts with. */
const phone = (series: number, n: number) => `+520${series}${String(n).padStart(8, '0')}`;

function aggressorsFor(prng: Prng, state: MexicanState, municipality: string): ScenarioBeneficiary['presumedAggressors'] {
  const roll = prng.next();
  // About one person in five names a police body of their own jurisdiction: the skip is common.
  if (roll < 0.12) return [{ type: 'authority', responderKind: 'municipal_police', stateCode: state, municipality }];
  if (roll < 0.2) return [{ type: 'authority', responderKind: 'state_police', stateCode: state }];
  if (roll < 0.55)
    return [{ type: 'non_state', description: prng.pick(['grupo delictivo de la región', 'empresa con concesión', 'funcionario local']) }];
  return [{ type: 'unknown' }];
}

/** The generated people and, for states the scenario does not cover, their responders. */
export function expandCrowd(scenario: Scenario & { crowd?: Crowd | undefined }): Scenario {
  const crowd = scenario.crowd;
  if (!crowd) return scenario;
  const prng = createPrng(scenario.seed, 'crowd');
  const covered = new Set(scenario.responders.map((r) => r.stateCode));
  const responders = [...scenario.responders];
  let responderN = 0;
  for (const state of new Set(crowd.states)) {
    if (covered.has(state)) continue;
    const capital = CAPITALS[state];
    RESPONDER_KINDS.forEach(([kind, name], order) => {
      responderN += 1;
      responders.push({
        id: `resp-${state.toLowerCase()}-${kind.replace(/_/g, '-')}`,
        name: kind === 'municipal_police' ? `${name} ${capital.municipality}` : `${name} ${MEXICAN_STATES[state]}`,
        kind,
        stateCode: state,
        ...(kind === 'municipal_police' ? { municipality: capital.municipality } : {}),
        phone: phone(2, responderN),
        escalationOrder: order,
      });
    });
  }
  const people: ScenarioBeneficiary[] = [];
  for (let i = 0; i < crowd.people; i++) {
    const state = crowd.states[i % crowd.states.length] as MexicanState;
    const capital = CAPITALS[state];
    const id = `ben-crowd-${String(i + 1).padStart(4, '0')}`;
    const alias = `${NAMES[i % NAMES.length]} ${QUALITIES[Math.floor(i / NAMES.length) % QUALITIES.length]}${i >= NAMES.length * QUALITIES.length ? ` ${i}` : ''}`;
    const home = { lat: capital.lat + prng.between(-0.08, 0.08), lon: capital.lon + prng.between(-0.08, 0.08) };
    const tag = id.slice(4);
    const devices: ScenarioBeneficiary['devices'] = [
      {
        id: `pb-${tag}`,
        model: 'panic-button',
        home,
        ...(prng.chance(0.05) ? { diesAfterS: Math.round(prng.between(1800, 7200)) } : {}),
        ...(prng.chance(0.1) ? { disconnects: { everyS: 1800, forS: 240 } } : {}),
      },
    ];
    if (prng.chance(crowd.cameraShare)) devices.push({ id: `cam-${tag}`, model: 'camera', motionEveryS: 0 });
    if (prng.chance(crowd.satelliteShare)) devices.push({ id: `sat-${tag}`, model: 'satellite-phone', terrain: prng.pick(TERRAINS), home });
    people.push({
      id,
      alias,
      kind: prng.pick([...BENEFICIARY_KINDS]),
      stateCode: state,
      municipality: capital.municipality,
      riskLevel: prng.pick([...RISK_LEVELS, 'high']),
      presumedAggressors: aggressorsFor(prng, state, capital.municipality),
      contacts: Array.from({ length: prng.int(1, 2) }, (_, k) => ({
        name: `Contacto ficticio ${k + 1} de ${alias}`,
        relation: prng.pick(RELATIONS),
        phone: phone(3, i * 2 + k + 1),
      })),
      devices,
    });
  }
  return { ...scenario, responders, beneficiaries: [...scenario.beneficiaries, ...people] };
}
