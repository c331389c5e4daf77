import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { generateHistory } from '../../../devices/history/generate.ts';
import { joinHistories, remoteMunicipality } from '../../../devices/history/remote-municipality.ts';
import { DEFAULT_SCENARIO_PATH, type Fleet, loadScenario, runFleet, scenarioFleetDevices } from '../../../devices/index.ts';
import type { Config } from '../../config/index.ts';
import { CentinelaError } from '../../domain/errors.ts';
import type { Role } from '../../domain/roles.ts';
import type { Centinela } from '../../main.ts';
import { createLogger } from '../../platform/logger.ts';
import { generateCredential, hashSecret } from '../../platform/secrets.ts';
import { seedHistory, systemActor } from '../../store/index.ts';
import { demoPort } from './free-port.ts';
import { type PanicCadence, panicCadence } from './panic-cadence.ts';
import { registerScenario } from './register-scenario.ts';

/** The answers of the demo's first person (issue 18): try them in the alarm view. */
export const DEMO_ANSWERS = { security: 'Río Azul', duress: 'Cerro Verde' } as const;

/** One login per role, named as a centre would name its staff. */
const DEMO_USERS: { name: string; role: Role }[] = [
  { name: 'operadora', role: 'operator' },
  { name: 'supervisor', role: 'supervisor' },
  { name: 'tecnico', role: 'technician' },
  { name: 'analista', role: 'analyst' },
  { name: 'admin', role: 'admin' },
];

export interface DemoOptions {
  scenarioPath?: string;
  seed?: number;
  /** Real seconds between panic presses (default: the scenario's alarmEveryS at its speed, at least 30 s). */
  panicEveryS?: number | undefined;
  /** Where to say what is happening (stderr: stdout is for --json). */
  say: (line: string) => void;
}

export interface RunningDemo {
  centinela: Centinela;
  fleet: Fleet;
  logins: { name: string; role: Role; password: string }[];
  consoleUrl: string;
  mqttPort: number;
  /** What was registered: the terminal prints it, the test checks it. */
  counts: { people: number; devices: number; states: number; responders: number };
  panic: PanicCadence;
  stop(): Promise<void>;
}

/**
 * The whole job in one command: Centinela on embedded defaults with a demo database of its
 * own (rebuilt at each start, never mixed with real data), a year of simulated history, the
 * scenario's fleet registered and running, and a login per role.
 */
export async function runDemo(config: Config, options: DemoOptions): Promise<RunningDemo> {
  if (config.database.kind !== 'sqlite') {
    throw new CentinelaError('CENTINELA_ERR_CONFIG_INVALID', 'the demo runs on its own SQLite database: unset DATABASE_URL to run it');
  }
  const scenario = await loadScenario(options.scenarioPath ?? DEFAULT_SCENARIO_PATH);
  const seed = options.seed ?? scenario.seed;
  const demoDir = path.join(config.dataDir, 'demo');
  fs.rmSync(demoDir, { recursive: true, force: true });
  // Another broker on 1883 or another server on 8080 must not stop a newcomer's first run.
  const http = await demoPort(config.http.port, config.http.host);
  const mqtt = await demoPort(config.mqtt.port, config.mqtt.host);
  if (http.moved) options.say(`port ${config.http.port} is taken: the demo's console listens on ${http.port} instead`);
  if (mqtt.moved)
    options.say(`port ${config.mqtt.port} is taken (another MQTT broker?): the demo's broker listens on ${mqtt.port} instead`);
  const demoConfig: Config = {
    ...config,
    dataDir: demoDir,
    database: { kind: 'sqlite', file: path.join(demoDir, 'centinela.db') },
    http: { ...config.http, port: http.port, publicUrl: http.moved ? `http://localhost:${http.port}` : config.http.publicUrl },
    mqtt: { ...config.mqtt, port: mqtt.port },
  };

  fs.mkdirSync(demoDir, { recursive: true });
  // The terminal shows the demo's own lines; the service's JSON log goes to a file beside it.
  const logFile = path.join(demoDir, 'centinela.log');
  const logger = createLogger({ level: config.logLevel, destination: pino.destination({ dest: logFile, sync: false }) });
  options.say(`service log: ${logFile}`);
  const { startCentinela } = await import('../../main.ts');
  const centinela = await startCentinela(demoConfig, { logger });
  try {
    const cli = systemActor('demo');
    const logins: RunningDemo['logins'] = [];
    const userIds: Partial<Record<Role, string>> = {};
    for (const u of DEMO_USERS) {
      const password = generateCredential('demo').slice(5, 21);
      const { user } = await centinela.repos.users.create(cli, { name: u.name, role: u.role, passwordHash: await hashSecret(password) });
      userIds[u.role] = user.id;
      logins.push({ ...u, password });
    }

    // Issue 19: a remote municipality where both measures fail, so the suitability page has a
    // verdict to show from the first minute; its people join the live fleet like everyone else.
    const now = Date.now();
    const base = generateHistory(scenario, seed, now);
    const remote = scenario.remoteMunicipality ? remoteMunicipality(seed, now) : undefined;
    const withRemote = remote ? { ...scenario, beneficiaries: [...scenario.beneficiaries, ...remote.beneficiaries] } : scenario;
    const history = remote ? joinHistories(base, remote.history) : base;
    const { records, secrets } = await registerScenario(centinela.repos, cli, withRemote, history);
    await seedHistory(centinela.store, history, userIds.operator ?? 'demo');
    const states = new Set(records.beneficiaries.map((b) => b.stateCode)).size;
    options.say(
      `registered ${records.beneficiaries.length} beneficiaries in ${states} states, ${records.devices.length} devices and ${records.responders.length} responders; seeded a year of history (${history.alarms.length} alarms, ${history.incidents.length} offline episodes)`,
    );

    // Issue 18: the first panic button's person has a security and a duress answer, so the
    // operator can try both in the first alarm's action plan.
    const firstOwner = records.devices.find((d) => d.modelId === 'panic-button')?.beneficiaryId;
    if (firstOwner) {
      await centinela.parts.alerts.securityAnswers.set(cli, firstOwner, DEMO_ANSWERS.security, DEMO_ANSWERS.duress);
      options.say(
        `action plans: the first panic alarm carries its plan; its person's security answer is "${DEMO_ANSWERS.security}", the duress answer "${DEMO_ANSWERS.duress}" (escalates silently)`,
      );
    }

    const mqttPort = centinela.parts.ingest.mqttPort;
    if (mqttPort === undefined)
      throw new CentinelaError('CENTINELA_ERR_CONFIG_INVALID', 'the demo needs the embedded broker: unset MQTT_URL to run it');
    const fleet = await runFleet({
      url: `mqtt://127.0.0.1:${mqttPort}`,
      devices: scenarioFleetDevices(withRemote, secrets),
      seed,
      speed: scenario.speed,
      // The demo presses on its own clock (below), so the printed promise is the behaviour.
      alarmEveryS: 0,
      // Each CONNECT costs a scrypt verification: a few at a time stay within the devices' 10 s
      // connect timeout on two busy cores (100 at once timed some out).
      connectConcurrency: 20,
      progress: process.stderr,
    });
    const everyS = options.panicEveryS ?? Math.max(30, Math.round(scenario.alarmEveryS / scenario.speed));
    const panic = panicCadence(scenario, seed, everyS);
    const presses = startPresses(fleet, panic);
    if (panic.first) {
      options.say(
        `a first panic alarm will be pressed on ${panic.first.deviceId} in ${panic.firstAfterS} s${panic.first.aggressorCase ? ": that person's local police is a presumed aggressor, so the timeline shows it skipped" : ''}`,
      );
    }
    let stopping: Promise<void> | undefined;
    return {
      centinela,
      fleet,
      logins,
      consoleUrl: centinela.httpUrl.replace('127.0.0.1', 'localhost'),
      mqttPort,
      counts: { people: records.beneficiaries.length, devices: records.devices.length, states, responders: records.responders.length },
      panic,
      stop: () => {
        presses.stop();
        stopping ??= fleet.stop().then(() => centinela.stop());
        return stopping;
      },
    };
  } catch (err) {
    await centinela.stop();
    throw err;
  }
}

/** Presses the first button after `firstAfterS`, then one every `everyS`, round the rotation. */
function startPresses(fleet: Fleet, panic: PanicCadence): { stop(): void } {
  let next = 0;
  let interval: NodeJS.Timeout | undefined;
  const press = (deviceId: string) => {
    try {
      fleet.press(deviceId, 'panic');
    } catch {
      // A device that is not connected right now cannot press; the next one will.
    }
  };
  const first = setTimeout(() => {
    if (panic.first) press(panic.first.deviceId);
    interval = setInterval(() => {
      const id = panic.rotation[next % panic.rotation.length];
      next += 1;
      if (id) press(id);
    }, panic.everyS * 1000);
  }, panic.firstAfterS * 1000);
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(interval);
    },
  };
}
