/**
 * The two servers under test, each alone in its own process so /proc tells its CPU and memory
 * apart from the load generator's: `centinela serve` (the real command, embedded mode) and plain
 * aedes (load-aedes-broker.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/centinela.js', import.meta.url));
const AEDES = fileURLToPath(new URL('./load-aedes-broker.ts', import.meta.url));
const START_TIMEOUT_MS = 60_000;
/** Warnings echoed to our stderr; the rest are only counted (a refused-connection storm would flood it). */
const ECHO_WARNINGS = 10;
const KEEP_LAST = 12;

export interface ServerUnderTest {
  kind: 'centinela' | 'aedes';
  pid: number;
  mqttUrl: string;
  /** Centinela only. */
  httpUrl?: string;
  /** Log lines at warn level or above so far. */
  warnings(): number;
  /** The last few warning-or-worse lines (or non-JSON lines: a crash's stack). */
  lastWarnings(): string[];
  /** Whether the process has exited (it should not until stop()). */
  exited(): boolean;
  /** Exit code or signal once exited. */
  exitReason(): string | undefined;
  stop(): Promise<void>;
}

type LogLine = { msg?: string; level?: number; port?: number; tls?: boolean; http?: string };

function handle(kind: ServerUnderTest['kind'], child: ChildProcess, onLine: (l: LogLine) => void): Omit<ServerUnderTest, 'mqttUrl'> {
  let warnings = 0;
  let exited = false;
  let exitReason: string | undefined;
  const last: string[] = [];
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      exitReason = signal ? `signal ${signal}` : `code ${code}`;
      resolve();
    }),
  );
  const read = (stream: NodeJS.ReadableStream | null) =>
    stream &&
    readline.createInterface({ input: stream }).on('line', (raw) => {
      let line: LogLine;
      try {
        line = JSON.parse(raw) as LogLine;
      } catch {
        line = { msg: raw, level: 50 };
      }
      if ((line.level ?? 0) >= 40) {
        if (++warnings <= ECHO_WARNINGS) process.stderr.write(`[${kind}] ${raw}\n`);
        last.push(raw.slice(0, 500));
        if (last.length > KEEP_LAST) last.shift();
      }
      onLine(line);
    });
  read(child.stdout);
  read(child.stderr);
  return {
    kind,
    pid: child.pid as number,
    warnings: () => warnings,
    lastWarnings: () => [...last],
    exited: () => exited,
    exitReason: () => exitReason,
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(killer);
    },
  };
}

function waitFor<T>(what: string, child: ChildProcess, register: (resolve: (v: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      // A server that never came up must not be left running (and holding its port).
      child.kill('SIGKILL');
      reject(new Error(`${what}: not up after ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) while starting`)));
    register((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}

/** The command line, under `prlimit` when a lower open-file limit is asked for (a rehearsal of the largest size). */
function command(args: string[], fileLimit: number | undefined): [string, string[]] {
  return fileLimit ? ['prlimit', [`--nofile=${fileLimit}:${fileLimit}`, process.execPath, ...args]] : [process.execPath, args];
}

/** `centinela serve` on 127.0.0.1 with free ports; resolves once "centinela started" is logged. */
export async function startCentinelaServe(env: Record<string, string>, fileLimit?: number): Promise<ServerUnderTest> {
  const [cmd, args] = command([BIN, 'serve'], fileLimit);
  const child = spawn(cmd, args, {
    env: {
      ...process.env,
      CENTINELA_HTTP_PORT: '0',
      CENTINELA_MQTT_PORT: '0',
      CENTINELA_HTTP_HOST: '127.0.0.1',
      CENTINELA_MQTT_HOST: '127.0.0.1',
      CENTINELA_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let mqttPort = 0;
  let onStarted: (http: string) => void = () => undefined;
  const h = handle('centinela', child, (l) => {
    if (l.msg === 'mqtt listening' && l.tls === false) mqttPort = Number(l.port);
    if (l.msg === 'centinela started' && l.http) onStarted(l.http);
  });
  const httpUrl = await waitFor<string>('centinela serve', child, (resolve) => {
    onStarted = resolve;
  });
  return { ...h, mqttUrl: `mqtt://127.0.0.1:${mqttPort}`, httpUrl };
}

/** Plain aedes in its own process; resolves with its port. */
export async function startPlainAedes(fileLimit?: number): Promise<ServerUnderTest> {
  const [cmd, args] = command(['--import', 'tsx', AEDES], fileLimit);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let onPort: (port: number) => void = () => undefined;
  const h = handle('aedes', child, (l) => {
    if (l.msg === 'plain aedes listening') onPort(Number(l.port));
  });
  const port = await waitFor<number>('plain aedes', child, (resolve) => {
    onPort = resolve;
  });
  return { ...h, mqttUrl: `mqtt://127.0.0.1:${port}` };
}
