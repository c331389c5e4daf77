import { type ScenarioBeneficiary, scenarioSchema } from '../fleet/scenario-schema.ts';
import { createPrng } from '../simulators/prng.ts';
import { generateHistory, type History } from './generate.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A remote municipality where both measures fail (issue 19): state police take hours to reach
 * anyone, and satellite phones in the ravines seldom capture the signal. The demo seeds it so a
 * newcomer sees a verdict on the first page; tests use it as the known place.
 */
export const REMOTE_MUNICIPALITY = {
  stateCode: 'CHH',
  municipality: 'Guadalupe y Calvo',
  /** Median minutes from an alarm to help on scene. */
  helpMedianMin: 220,
  /** Probability that an hourly satellite check-in fails. */
  checkinFailureProbability: 0.62,
} as const;

export interface RemoteMunicipality {
  /** People to register (scenario-shaped: the demo adds them to its registry). */
  beneficiaries: ScenarioBeneficiary[];
  /** Their year, to write with seedHistory (src/store/seed-history.ts) like the rest of the demo's. */
  history: History;
}

/**
 * `people` defenders in the remote municipality, each with a panic button and a satellite phone,
 * and their year ending at `to`: help on scene around 3 h 40 min, about 38 % of scheduled
 * satellite check-ins arriving. Pure and seeded.
 */
export function remoteMunicipality(seed: number | string, to: number, people = 6): RemoteMunicipality {
  const place = REMOTE_MUNICIPALITY;
  const beneficiaries: ScenarioBeneficiary[] = Array.from({ length: people }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    const lat = 26.09 + i * 0.013;
    const lon = -106.96 - i * 0.011;
    return {
      id: `ben-gyc-${n}`,
      alias: `Sierra ${n}`,
      kind: 'defender',
      stateCode: place.stateCode,
      municipality: place.municipality,
      riskLevel: 'high',
      presumedAggressors: [],
      contacts: [],
      devices: [
        { id: `pb-gyc-${n}`, model: 'panic-button', home: { lat, lon } },
        {
          id: `sat-gyc-${n}`,
          model: 'satellite-phone',
          home: { lat: lat + 0.002, lon },
          terrain: 'mountain',
          checkinFailureProbability: place.checkinFailureProbability,
        },
      ],
    };
  });
  const scenario = scenarioSchema.parse({ name: 'remote municipality', seed: 0, beneficiaries });
  const history = generateHistory(scenario, `${seed}-remote`, to);
  const prng = createPrng(seed, 'remote-municipality');

  // Help is slow here: every alarm that got help on scene got it after hours, not minutes.
  history.alarms = history.alarms
    .map((a) => {
      if (a.onSceneAt === null || a.dispatchedAt === null) return a;
      const onSceneAt = a.dispatchedAt + Math.round(place.helpMedianMin * 60_000 * Math.exp(prng.between(-0.3, 0.3)));
      return { ...a, onSceneAt, resolvedAt: onSceneAt + Math.round(prng.between(30, 120)) * 60_000 };
    })
    .filter((a) => a.resolvedAt < to);

  // Satellite phones: the check-ins that got through, hour by hour (the generator counts a phone's
  // online time as delivered; here most scheduled check-ins are lost).
  const satellites = new Set(beneficiaries.flatMap((b) => b.devices.filter((d) => d.model === 'satellite-phone').map((d) => d.id)));
  history.heartbeatDays = history.heartbeatDays.filter((d) => !satellites.has(d.deviceId));
  for (const id of satellites) {
    const start = Math.max(history.installedAt[id] ?? to, history.from);
    const perDay = new Map<number, number>();
    for (let t = start + HOUR; t < to; t += HOUR) {
      if (prng.chance(place.checkinFailureProbability)) continue;
      const day = Math.floor(t / DAY) * DAY;
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    for (const [day, received] of perDay) history.heartbeatDays.push({ deviceId: id, day, received });
  }
  return { beneficiaries, history };
}

/** One history out of two over the same year (the demo's fleet and the remote municipality). */
export function joinHistories(a: History, b: History): History {
  return {
    ...a,
    installedAt: { ...a.installedAt, ...b.installedAt },
    intervals: [...a.intervals, ...b.intervals],
    incidents: [...a.incidents, ...b.incidents],
    alarms: [...a.alarms, ...b.alarms],
    heartbeatDays: [...a.heartbeatDays, ...b.heartbeatDays],
    samples: [...a.samples, ...b.samples],
  };
}
