import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { generateHistory } from '../../../devices/history/generate.ts';
import { DEFAULT_SCENARIO_PATH, expandScenario, type Fleet, loadScenario, runFleet, scenarioFleetDevices } from '../../../devices/index.ts';
import type { Config } from '../../config/index.ts';
import { CentinelaError } from '../../domain/errors.ts';
import type { Role } from '../../domain/roles.ts';
import type { Centinela } from '../../main.ts';
import { createLogger } from '../../platform/logger.ts';
import { generateCredential, hashSecret } from '../../platform/secrets.ts';
import { seedHistory, systemActor } from '../../store/index.ts';

const FIRST_ALARM_AFTER_MS = 20_000;
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
  /** Where to say what is happening (stderr: stdout is for --json). */
  say: (line: string) => void;
}

export interface RunningDemo {
  centinela: Centinela;
  fleet: Fleet;
  logins: { name: string; role: Role; password: string }[];
  consoleUrl: string;
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
  const demoConfig: Config = { ...config, dataDir: demoDir, database: { kind: 'sqlite', file: path.join(demoDir, 'centinela.db') } };

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

    const history = generateHistory(scenario, seed, Date.now());
    const records = expandScenario(scenario);
    for (const r of records.responders) await centinela.repos.responders.create(cli, r);
    for (const b of records.beneficiaries) await centinela.repos.beneficiaries.create(cli, b);
    for (const c of records.contacts) await centinela.repos.contacts.create(cli, c);
    const secrets: Record<string, string> = {};
    for (const d of records.devices) {
      const secret = generateCredential('dev');
      secrets[d.id] = secret;
      const installedAt = new Date(history.installedAt[d.id] ?? Date.now()).toISOString();
      const requestedAt = new Date((history.installedAt[d.id] ?? Date.now()) - (10 + (d.id.length % 25)) * 86_400_000).toISOString();
      await centinela.repos.devices.create(cli, { ...d, installedAt, requestedAt }, await hashSecret(secret));
    }
    await seedHistory(centinela.store, history, userIds.operator ?? 'demo');
    options.say(
      `registered ${records.beneficiaries.length} beneficiaries, ${records.devices.length} devices and ${records.responders.length} responders; seeded a year of history (${history.alarms.length} alarms, ${history.incidents.length} offline episodes)`,
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
      devices: scenarioFleetDevices(scenario, secrets),
      seed,
      speed: scenario.speed,
      alarmEveryS: scenario.alarmEveryS,
      progress: process.stderr,
    });
    // A newcomer should see the alarm path within a minute, not wait for the random plan.
    const first = scenario.beneficiaries.flatMap((b) => b.devices).find((d) => d.model === 'panic-button');
    const firstPress = first ? setTimeout(() => fleet.press(first.id, 'panic'), FIRST_ALARM_AFTER_MS) : undefined;
    if (first) options.say(`a first panic alarm will be pressed on ${first.id} in ${FIRST_ALARM_AFTER_MS / 1000} s`);
    let stopping: Promise<void> | undefined;
    return {
      centinela,
      fleet,
      logins,
      consoleUrl: centinela.httpUrl.replace('127.0.0.1', 'localhost'),
      stop: () => {
        clearTimeout(firstPress);
        stopping ??= fleet.stop().then(() => centinela.stop());
        return stopping;
      },
    };
  } catch (err) {
    await centinela.stop();
    throw err;
  }
}
