import net from 'node:net';

/** Whether a TCP port can be listened on at this host now. */
export function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the system has free right now (it may be taken again before use: the caller retries by failing loudly). */
export function anyFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The demo only: a port already held (another broker on 1883, another server on 8080) is
 * replaced by a free one, and the caller says so. `serve` keeps failing loudly instead.
 */
export async function demoPort(wanted: number, host: string): Promise<{ port: number; moved: boolean }> {
  if (wanted === 0 || (await portIsFree(wanted, host))) return { port: wanted, moved: false };
  return { port: await anyFreePort(host), moved: true };
}
