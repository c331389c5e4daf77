import camera from '../catalogue/camera.json' with { type: 'json' };
import panicButton from '../catalogue/panic-button.json' with { type: 'json' };
import satellitePhone from '../catalogue/satellite-phone.json' with { type: 'json' };

/** The catalogue models a simulator exists for (ids of devices/catalogue/*.json). */
export const SIMULATED_MODELS = ['panic-button', 'camera', 'satellite-phone'] as const;
export type SimulatedModel = (typeof SIMULATED_MODELS)[number];

const MODELS = { 'panic-button': panicButton, camera, 'satellite-phone': satellitePhone } as const;

/** Heartbeat interval of a model, from the catalogue (what the server supervises against). */
export function modelHeartbeatIntervalS(model: SimulatedModel): number {
  return MODELS[model].heartbeatIntervalS;
}
