import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { scenarioFleetDevices } from './expand-scenario.ts';
import { runFleet } from './run-fleet.ts';
import { DEFAULT_SCENARIO_PATH, loadScenario } from './scenario-loader.ts';

/**
 * Runs a scenario's fleet against a broker until SIGINT or SIGTERM:
 *   node --import tsx devices/fleet/cli.ts --url mqtt://127.0.0.1:1883 [--scenario FILE]
 *     [--seed N] [--speed X] [--secrets FILE.json] [--id-suffix S]
 * `--secrets` maps device id → MQTT secret (from registration); without it the broker must
 * accept anonymous devices. `--id-suffix` keeps runs on a shared broker apart.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      scenario: { type: 'string', default: DEFAULT_SCENARIO_PATH },
      seed: { type: 'string' },
      speed: { type: 'string' },
      secrets: { type: 'string' },
      'id-suffix': { type: 'string', default: '' },
    },
  });
  const scenario = await loadScenario(values.scenario);
  const secrets = values.secrets ? (JSON.parse(fs.readFileSync(values.secrets, 'utf8')) as Record<string, string>) : {};
  const suffix = values['id-suffix'];
  const devices = scenarioFleetDevices(scenario, secrets).map((d) => ({ ...d, id: `${d.id}${suffix}` }));
  const fleet = await runFleet({
    url: values.url,
    devices,
    seed: values.seed !== undefined ? Number(values.seed) : scenario.seed,
    speed: values.speed !== undefined ? Number(values.speed) : scenario.speed,
    alarmEveryS: scenario.alarmEveryS,
    progress: process.stdout,
    handleSignals: true,
  });
  process.stdout.write(`fleet: ${devices.length} devices of "${scenario.name}" connected to ${values.url}; Ctrl-C stops\n`);
  await fleet.stopped;
  process.stdout.write('fleet: stopped\n');
}

main().catch((err: Error) => {
  process.stderr.write(`fleet: ${err.message}\n`);
  process.exit(1);
});
