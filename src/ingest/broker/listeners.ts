import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { CentinelaError } from '../../domain/errors.ts';
import { MQTT_LISTEN_BACKLOG } from './listen-backlog.ts';

/** A TCP (or TLS) listener handing each accepted socket to `onSocket`. */
export interface Listener {
  port: number;
  close(): Promise<void>;
}

function explainListenError(err: NodeJS.ErrnoException, port: number, variable: string): Error {
  if (err.code === 'EADDRINUSE' || err.code === 'EACCES') {
    return new CentinelaError(
      'CENTINELA_ERR_PORT_IN_USE',
      `port ${port} is ${err.code === 'EACCES' ? 'not allowed' : 'already in use'}: set ${variable} to a free port`,
      { variable, port },
    );
  }
  return err;
}

/** A ceiling on connections: beyond it Node accepts and closes at once, and `onRefused` is told. */
export interface ConnectionCeiling {
  max: number | undefined;
  onRefused: () => void;
}

async function listen(server: net.Server, port: number, host: string, variable: string, ceiling: ConnectionCeiling): Promise<Listener> {
  if (ceiling.max !== undefined) server.maxConnections = ceiling.max;
  server.on('drop', () => ceiling.onRefused());
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(explainListenError(err, port, variable)));
    server.listen({ port, host, backlog: MQTT_LISTEN_BACKLOG }, () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/** Plain MQTT. `noDelay`: without it deliveries to a busy subscriber stall 30–40 ms (docs/dependencies.md). */
export function listenTcp(port: number, host: string, onSocket: (s: net.Socket) => void, ceiling: ConnectionCeiling): Promise<Listener> {
  return listen(net.createServer({ noDelay: true }, onSocket), port, host, 'CENTINELA_MQTT_PORT', ceiling);
}

/** MQTT over TLS with the configured certificate and key. */
export function listenTls(
  config: { port: number; certFile: string; keyFile: string },
  host: string,
  onSocket: (s: net.Socket) => void,
  ceiling: ConnectionCeiling,
): Promise<Listener> {
  const server = tls.createServer({ cert: fs.readFileSync(config.certFile), key: fs.readFileSync(config.keyFile) }, (s) => {
    s.setNoDelay(true);
    onSocket(s);
  });
  return listen(server, config.port, host, 'CENTINELA_MQTT_TLS_PORT', ceiling);
}
