import type { AlarmPayload } from '../../src/domain/wire.ts';
import { createPrng } from '../simulators/prng.ts';
import type { FleetDevice } from './fleet-device.ts';

export interface PlannedPress {
  /** Simulated seconds from the fleet's start. */
  atS: number;
  deviceId: string;
  kind: AlarmPayload['kind'];
}

/**
 * When and where the fleet's panic presses happen: presses arrive as a Poisson process with
 * mean gap `everyS`, each on an alarm-capable device still alive at that moment. Pure and
 * seeded, so two runs with one seed press the same buttons in the same order.
 */
export function* alarmPlan(devices: readonly FleetDevice[], seed: number | string, everyS: number): Generator<PlannedPress> {
  if (everyS <= 0) return;
  const capable = devices.filter((d) => d.model === 'panic-button' || d.model === 'satellite-phone');
  if (capable.length === 0) return;
  const prng = createPrng(seed, 'fleet-alarms');
  let atS = 0;
  for (;;) {
    atS += prng.exponential(everyS);
    const alive = capable.filter((d) => d.diesAfterS === undefined || d.diesAfterS > atS);
    const roll = prng.next();
    if (alive.length === 0) return;
    const device = alive[Math.floor(roll * alive.length)] as FleetDevice;
    // A few presses are the monthly test a technician asks the person to make.
    const kind = prng.chance(0.1) ? 'test' : device.model === 'satellite-phone' ? 'sos' : 'panic';
    yield { atS, deviceId: device.id, kind };
  }
}
