import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What Centinela is doing while it starts, in words for an operator or a load balancer's log. */
export type StartupPhase = 'database' | 'migrations' | 'device catalogue' | 'events relay' | 'health' | 'alerts' | 'ingest' | 'http';

export interface StartupListener {
  /** The port actually bound (the real server takes it over when the start is done). */
  readonly port: number;
  waitingFor(phase: StartupPhase): void;
  close(): Promise<void>;
}

/**
 * Issue 13 point 5: `/readyz` tells the truth from the first second. While the parts start (a
 * migration waiting for a lock, a database slow to answer), this small server holds the HTTP port
 * and answers `/healthz` 200, `/readyz` 503 naming what the start waits for, anything else 503
 * with Retry-After. The composition root closes it just before the real server listens there.
 */
export async function listenWhileStarting(port: number, host: string): Promise<StartupListener> {
  let phase: StartupPhase = 'database';
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' });
      res.end(JSON.stringify(body));
    };
    if (path === '/healthz') return json(200, { status: 'ok' });
    const reason = `starting: waiting for ${phase}`;
    if (path === '/readyz')
      return json(503, { status: 'not_ready', checks: { started: false }, reasons: { started: reason }, waitingFor: phase });
    return json(503, { error: { code: 'CENTINELA_ERR_STORE_UNAVAILABLE', message: `try again shortly: ${reason}`, requestId: '' } });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closed: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    waitingFor: (p) => {
      phase = p;
    },
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
