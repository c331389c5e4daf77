/**
 * Plain aedes 1.2 for the side-by-side comparison: no authentication, no storage beyond aedes'
 * in-memory retained messages, the same noDelay TCP server Centinela uses (docs/dependencies.md). Prints one
 * JSON line with the bound port; stops on SIGTERM.
 */
import net from 'node:net';
import { Aedes } from 'aedes';

const broker = await Aedes.createBroker();
const server = net.createServer({ noDelay: true }, (socket) => broker.handle(socket));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
process.stdout.write(`${JSON.stringify({ msg: 'plain aedes listening', port: (server.address() as net.AddressInfo).port })}\n`);
process.once('SIGTERM', () => {
  server.close();
  broker.close(() => process.exit(0));
  // Thousands of sockets may still be closing: do not let them hold the benchmark up.
  setTimeout(() => process.exit(0), 3000).unref();
});
