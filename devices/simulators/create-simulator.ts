import { type CameraOptions, CameraSimulator } from './camera.ts';
import type { SimulatedModel } from './catalogue.ts';
import { PanicButtonSimulator } from './panic-button.ts';
import { type SatellitePhoneOptions, SatellitePhoneSimulator } from './satellite-phone.ts';

export type AnySimulator = PanicButtonSimulator | CameraSimulator | SatellitePhoneSimulator;
export type AnySimulatorOptions = CameraOptions & SatellitePhoneOptions;

/** The simulator for a catalogue model. */
export function createSimulator(model: SimulatedModel, opts: AnySimulatorOptions): AnySimulator {
  switch (model) {
    case 'panic-button':
      return new PanicButtonSimulator(opts);
    case 'camera':
      return new CameraSimulator(opts);
    case 'satellite-phone':
      return new SatellitePhoneSimulator(opts);
  }
}

/** Whether the device has a button that raises an alarm (panic, SOS). */
export function canPress(sim: AnySimulator): sim is PanicButtonSimulator | SatellitePhoneSimulator {
  return sim instanceof PanicButtonSimulator || sim instanceof SatellitePhoneSimulator;
}
