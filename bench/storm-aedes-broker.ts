/**
 * Plain aedes 1.2 for the restart storm, on a fixed port (devices reconnect to the same address
 * after it is killed), checking each device's own secret the way Centinela stores it: a lookup of
 * the SHA-256 hash by client id and a constant-time compare (production hashing for every target).
 * No storage, no ACL. Usage: node --import tsx bench/storm-aedes-broker.ts PORT PREFIX COUNT
 */
import net from 'node:net';
import { Aedes } from 'aedes';
import { hashDeviceSecret, verifySecret } from '../src/platform/index.ts';
import { benchDeviceId, secretOf } from './load-register.ts';

const [port, prefix, count] = [Number(process.argv[2]), String(process.argv[3]), Number(process.argv[4])];
const stored = new Map<string, string>();
for (let i = 0; i < count; i++) {
  const id = benchDeviceId(prefix, i);
  stored.set(id, hashDeviceSecret(secretOf(id)));
}

const broker = await Aedes.createBroker({
  authenticate(client, username, password, done) {
    const hash = username === client.id ? stored.get(client.id) : undefined;
    void verifySecret(password?.toString('utf8') ?? '', hash ?? hashDeviceSecret('decoy')).then((ok) =>
      ok && hash ? done(null, true) : done(Object.assign(new Error('bad user name or password'), { returnCode: 4 as const }), false),
    );
  },
});
const server = net.createServer({ noDelay: true }, (socket) => broker.handle(socket));
await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
process.stdout.write(`${JSON.stringify({ msg: 'plain aedes listening', port })}\n`);
process.once('SIGTERM', () => {
  server.close();
  broker.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
});
