/**
 * What happens at the open-file limit: with the largest fleet still connected, opens bare TCP
 * connections to the server's MQTT port until the server has tried to accept more sockets than
 * its open-file limit allows, then checks — each over a NEW connection, as a new client would
 * come — whether it is alive, answers /healthz, and lets one more registered device in; then
 * the same once the extra sockets are gone. Destructive by design, so it runs last and only when
 * asked (--probe-limit).
 */
import http from 'node:http';
import net from 'node:net';
import { connectAsync } from 'mqtt';
import { fileLimitOf, sampleProc } from './load-proc.ts';
import type { ServerUnderTest } from './load-servers.ts';

export interface LimitProbe {
  fileLimit: number;
  openFilesBefore: number;
  extraSockets: number;
  openFilesAtPeak: number;
  serverAlive: boolean;
  atLimit: { healthz: string; deviceConnect: string };
  afterRelease: { healthz: string; deviceConnect: string };
  warningsDuring: number;
  /** The server's last warnings or errors (a crash's stack, say). */
  lastWarnings: string[];
  exit?: string;
}

const BEYOND = 100;
const BATCH = 25;
const TIMEOUT_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Every check answers within twice its own timeout, whatever the client library does. */
const bounded = (check: Promise<string>) => Promise.race([check, sleep(2 * TIMEOUT_MS).then(() => `no outcome in ${2 * TIMEOUT_MS} ms`)]);

/** GET /healthz on a fresh socket (no keep-alive pool: a pooled socket would dodge accept()). */
function healthz(server: ServerUnderTest): Promise<string> {
  if (server.exited()) return Promise.resolve(`server exited (${server.exitReason()})`);
  return new Promise((resolve) => {
    const req = http.get(`${server.httpUrl}/healthz`, { agent: false, timeout: TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(String(res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${TIMEOUT_MS} ms`)));
    req.on('error', (err) => resolve(err.message));
  });
}

async function deviceConnect(server: ServerUnderTest, device: { id: string; secret: string }): Promise<string> {
  if (server.exited()) return 'server exited';
  try {
    const client = await connectAsync(
      server.mqttUrl,
      {
        clientId: device.id,
        username: device.id,
        password: device.secret,
        protocolVersion: 4,
        reconnectPeriod: 0,
        connectTimeout: TIMEOUT_MS,
      },
      // No retries: a socket closed before CONNACK must reject, not wait for a reconnect.
      false,
    );
    await client.endAsync();
    return 'connected';
  } catch (err) {
    return `refused: ${(err as Error).message}`;
  }
}

/** `device`: a registered device not connected now (one of the killed sample, say). */
export async function probeFileLimit(server: ServerUnderTest, device: { id: string; secret: string }): Promise<LimitProbe> {
  const { port } = new URL(server.mqttUrl);
  const warnings0 = server.warnings();
  const before = sampleProc(server.pid).openFiles;
  const limit = fileLimitOf(server.pid);
  const sockets: net.Socket[] = [];
  let peak = before;
  try {
    while (sockets.length < limit - before + BEYOND && !server.exited()) {
      for (let i = 0; i < BATCH; i++) {
        const s = net.connect(Number(port), '127.0.0.1');
        s.on('error', () => undefined);
        sockets.push(s);
      }
      await sleep(200);
      try {
        peak = Math.max(peak, sampleProc(server.pid).openFiles);
      } catch {
        // the server is gone: the loop ends on exited()
      }
    }
    await sleep(2000);
    const atLimit = { healthz: await bounded(healthz(server)), deviceConnect: await bounded(deviceConnect(server, device)) };
    for (const s of sockets) s.destroy();
    await sleep(3000);
    const afterRelease = { healthz: await bounded(healthz(server)), deviceConnect: await bounded(deviceConnect(server, device)) };
    return {
      fileLimit: limit,
      openFilesBefore: before,
      extraSockets: sockets.length,
      openFilesAtPeak: peak,
      serverAlive: !server.exited(),
      atLimit,
      afterRelease,
      warningsDuring: server.warnings() - warnings0,
      lastWarnings: server.lastWarnings(),
      ...(server.exitReason() ? { exit: server.exitReason() } : {}),
    };
  } finally {
    for (const s of sockets) s.destroy();
  }
}
