/**
 * Public surface of the device simulators and the fleet runner. The demo registers what
 * `expandScenario` returns, then passes the secrets to `runFleet`; the benchmark drives
 * `runFleet` (in several processes, see bench/fleet-launcher.ts).
 */
export { alarmPlan, type PlannedPress } from './fleet/alarm-plan.ts';
export { expandScenario, type RegistryRecords, scenarioFleetDevices } from './fleet/expand-scenario.ts';
export type { FleetDevice } from './fleet/fleet-device.ts';
export { countEvent, emptyStats, type FleetStats, formatStats } from './fleet/fleet-stats.ts';
export { type ProgressDisplay, startProgress } from './fleet/progress.ts';
export { type Fleet, type RunFleetOptions, runFleet } from './fleet/run-fleet.ts';
export { DEFAULT_SCENARIO_PATH, loadScenario, parseScenario, ScenarioError, TINY_SCENARIO_PATH } from './fleet/scenario-loader.ts';
export { type Scenario, type ScenarioBeneficiary, type ScenarioDevice, scenarioSchema } from './fleet/scenario-schema.ts';
export { type CameraOptions, CameraSimulator } from './simulators/camera.ts';
export { modelHeartbeatIntervalS, SIMULATED_MODELS, type SimulatedModel } from './simulators/catalogue.ts';
export { type AnySimulator, type AnySimulatorOptions, canPress, createSimulator } from './simulators/create-simulator.ts';
export { PanicButtonSimulator } from './simulators/panic-button.ts';
export { createPrng, type Prng } from './simulators/prng.ts';
export { type SatellitePhoneOptions, SatellitePhoneSimulator, TERRAIN_FAILURE, type Terrain } from './simulators/satellite-phone.ts';
export { simulatedClock } from './simulators/scaled-timers.ts';
export type { AckRecord, AlarmCapable, PendingAlarm, SimEvent, SimEventListener, Simulator, SimulatorOptions } from './simulators/types.ts';
