import fs from 'node:fs';
import net from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { startServe } from './fixtures/cli.ts';
import { freshStore } from './fixtures/databases.ts';
import { connectDevice, registerDevice } from './fixtures/mqtt.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** More than Node's default listen queue (511), fewer than a 1,024-file limit allows this process. */
const BURST = 900;

it('a fleet reconnecting while Centinela is not accepting is held by the kernel, not dropped (issue 11)', async () => {
  const somaxconn = Number(fs.readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim());
  if (somaxconn <= BURST)
    throw new Error(`net.core.somaxconn is ${somaxconn}: this suite needs more than ${BURST} (sysctl -w net.core.somaxconn=4096)`);
  const db = await freshStore('sqlite');
  cleanups.push(() => db.cleanup());
  const device = await registerDevice(db.repos, 'pb-held-in-the-queue');
  const serve = await startServe({ ...db.env, CENTINELA_LOG_LEVEL: 'info' });
  cleanups.push(() => serve.stop());
  expect(serve.logs.find((l) => l.msg?.toString().startsWith('mqtt listen queue'))).toMatchObject({ level: 30 });

  // Stopped, the process accepts nothing: the stand-in for a long commit or garbage collection
  // while the fleet comes back. Every handshake must still complete, held in the listen queue.
  serve.child.kill('SIGSTOP');
  cleanups.push(() => void serve.child.kill('SIGCONT'));
  const sockets: net.Socket[] = [];
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
  });
  const handshakes = Array.from(
    { length: BURST },
    () =>
      new Promise<void>((resolve, reject) => {
        const s = net.connect(serve.mqttPort, '127.0.0.1', () => resolve());
        s.once('error', reject);
        sockets.push(s);
      }),
  );
  await Promise.all(handshakes);
  // A device that pressed connect during the pause is answered once the process runs again.
  const late = connectDevice(serve.mqttPort, device, { reconnectPeriod: 0 });
  serve.child.kill('SIGCONT');
  const client = await late;
  cleanups.push(() => void client.end(true));
  expect(client.connected).toBe(true);
});
