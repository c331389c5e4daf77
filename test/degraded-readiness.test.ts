import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import pg from 'pg';
import { afterEach, expect, test } from 'vitest';
import { migrationLockKey } from '../src/store/migrations/index.ts';
import { BIN } from './fixtures/cli.ts';
import { ENGINES, freshStore, type TestStore } from './fixtures/databases.ts';

/**
 * Issue 13 point 5: /readyz reports what the start waits for while it waits — here a migration
 * held back by a lock another session keeps on the database — and turns ready once it is done.
 */
let db: TestStore | undefined;
let child: ChildProcess | undefined;
let cleanupHold: (() => Promise<void>) | undefined;

afterEach(async () => {
  await cleanupHold?.();
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
  await db?.cleanup();
  db = child = cleanupHold = undefined;
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Holds the start back until released. PostgreSQL: a session keeps the migration lock. SQLite:
 * its driver is synchronous, so a lock there would freeze the whole process (nothing could
 * answer); instead Redis is reached through a gate that passes nothing until opened, and the
 * start waits for the events relay.
 */
async function holdStart(
  store: TestStore,
): Promise<{ env: Record<string, string>; held: string; release: () => void | Promise<void>; cleanup: () => Promise<void> }> {
  if (store.engine === 'sqlite') {
    let open = false;
    const waiting: (() => void)[] = [];
    const sockets = new Set<net.Socket>();
    const gate = net.createServer((client) => {
      sockets.add(client);
      const pass = () => {
        const upstream = net.connect(6379, '127.0.0.1');
        sockets.add(upstream);
        client.pipe(upstream).pipe(client);
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      };
      if (open) pass();
      else waiting.push(pass);
    });
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
    const port = (gate.address() as net.AddressInfo).port;
    return {
      env: { REDIS_URL: `redis://127.0.0.1:${port}` },
      held: 'events relay',
      release: () => {
        open = true;
        for (const pass of waiting.splice(0)) pass();
      },
      cleanup: async () => {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => gate.close(resolve));
      },
    };
  }
  const client = new pg.Client({ connectionString: store.env.DATABASE_URL });
  await client.connect();
  const schema = (await client.query<{ s: string }>('select current_schema() as s')).rows[0]?.s as string;
  await client.query('select pg_advisory_lock($1::bigint)', [migrationLockKey(schema)]);
  let done = false;
  return {
    env: {},
    held: 'migrations',
    release: async () => {
      if (done) return;
      done = true;
      await client.end();
    },
    cleanup: async () => {
      if (done) return;
      done = true;
      await client.end();
    },
  };
}

type Readyz = { status: string; waitingFor?: string; reasons?: Record<string, string>; checks: Record<string, boolean> };

async function readyz(port: number): Promise<{ status: number; body: Readyz } | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    return { status: res.status, body: (await res.json()) as Readyz };
  } catch {
    return undefined; // not listening yet
  }
}

test.each(ENGINES)(
  'on %s, /readyz answers 503 naming what the start waits for, then 200 once started',
  { timeout: 60_000 },
  async (engine) => {
    db = await freshStore(engine);
    const hold = await holdStart(db);
    cleanupHold = hold.cleanup;
    const port = await freePort();
    child = spawn(process.execPath, [BIN, 'serve'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        CENTINELA_HTTP_PORT: String(port),
        CENTINELA_MQTT_PORT: '0',
        CENTINELA_HTTP_HOST: '127.0.0.1',
        CENTINELA_MQTT_HOST: '127.0.0.1',
        ...db.env,
        ...hold.env,
      },
      stdio: 'ignore',
    });
    const spawned = Date.now();

    // Polled: the answer is the event, and it comes from another process.
    let first = await readyz(port);
    while (!first) {
      if (Date.now() - spawned > 30_000) throw new Error('no answer on /readyz');
      await new Promise((resolve) => setTimeout(resolve, 50));
      first = await readyz(port);
    }
    const answeredAfterMs = Date.now() - spawned;
    expect(first.status).toBe(503);
    // Alive while not ready: a supervisor must not restart a node that is only waiting.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    let waiting = first;
    while (waiting.body.waitingFor !== hold.held) {
      if (Date.now() - spawned > 30_000) throw new Error(`never reported ${hold.held}: ${JSON.stringify(waiting.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      waiting = (await readyz(port)) ?? waiting;
    }
    expect(waiting).toMatchObject({
      status: 503,
      body: { status: 'not_ready', reasons: { started: `starting: waiting for ${waiting.body.waitingFor}` } },
    });

    await hold.release();
    let now = waiting;
    while (now.status !== 200) {
      if (Date.now() - spawned > 45_000) throw new Error(`never became ready: ${JSON.stringify(now.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Between the startup listener and the real server the port is briefly closed.
      now = (await readyz(port)) ?? now;
    }
    expect(now.body).toMatchObject({ status: 'ready', checks: { database: true } });
    console.info(`${engine}: first /readyz answer ${answeredAfterMs} ms after spawn`);
  },
);
