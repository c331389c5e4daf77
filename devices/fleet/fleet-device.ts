import type { Location } from '../../src/domain/wire.ts';
import type { SimulatedModel } from '../simulators/catalogue.ts';
import type { Terrain } from '../simulators/satellite-phone.ts';

/** One device the fleet runner simulates. Registration is the caller's job: it passes the secret in. */
export interface FleetDevice {
  id: string;
  model: SimulatedModel;
  /** MQTT password; omitted for an anonymous broker. */
  secret?: string;
  home?: Location;
  terrain?: Terrain;
  checkinFailureProbability?: number;
  /** Fails for good after this many simulated seconds. */
  diesAfterS?: number;
  /** Drops its connection now and then: mean simulated seconds between drops, and for how long. */
  disconnects?: { everyS: number; forS: number };
  motionEveryS?: number;
  heartbeatIntervalS?: number;
}
