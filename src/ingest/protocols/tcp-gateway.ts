import net, { type AddressInfo } from 'node:net';
import type { Logger } from '../../platform/logger.ts';
import type { GatewayMetrics } from './metrics.ts';

/** What a protocol's splitter finds at the head of a connection's buffer. */
export type Split<F> =
  | { kind: 'frame'; frame: F; used: number }
  | { kind: 'need_more' }
  /** A whole but unreadable frame: skipped and counted, answered with `reply` when the protocol says so. */
  | { kind: 'bad'; reason: string; used: number; reply?: Buffer | undefined }
  /** The stream cannot be trusted any more: the socket is closed. */
  | { kind: 'fatal'; reason: string };

export interface GatewayLimits {
  /** Bytes a connection may hold undecoded (a frame that long is refused before). */
  maxBufferBytes: number;
  /** Idle connection closed after this long without a byte. */
  idleMs: number;
  /** A frame begun but not finished within this long is a stall: closed. */
  stallMs: number;
  /** Frames waiting for the previous one to be stored; more is a flood: closed. */
  maxQueuedFrames: number;
  /** Unreadable frames tolerated per connection before it is closed. */
  maxBadFrames: number;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  maxBufferBytes: 4096,
  idleMs: 15 * 60_000,
  stallMs: 30_000,
  maxQueuedFrames: 64,
  maxBadFrames: 8,
};

export interface Session<S> {
  readonly remote: string;
  state: S;
  send(bytes: Buffer): void;
  close(reason: string): void;
}

export interface TcpGatewayOptions<F, S> {
  protocol: string;
  host: string;
  port: number;
  limits: GatewayLimits;
  metrics: GatewayMetrics;
  logger: Logger;
  initialState(): S;
  split(buf: Buffer): Split<F>;
  /** One frame, in order; the next waits for this one (an alarm is stored before its ACK, P1). */
  onFrame(session: Session<S>, frame: F): Promise<void> | void;
  onClose?(session: Session<S>, vanished: boolean): void;
  /** The listener failed after it started: its devices can no longer reach Centinela. */
  onDown?(reason: string): void;
}

export interface TcpGateway {
  port: number;
  connections(): number;
  stop(): Promise<void>;
}

/**
 * A TCP listener for one device protocol, built so that a bad peer costs little and nothing
 * else: bounded buffer, idle and stall timeouts, a bounded queue of frames, each closure counted
 * in /metrics. It shares nothing with the MQTT broker but the event loop, and holds no frame
 * longer than its limits allow.
 */
export async function startTcpGateway<F, S>(opts: TcpGatewayOptions<F, S>): Promise<TcpGateway> {
  const { protocol, limits, metrics, logger } = opts;
  const sockets = new Set<net.Socket>();

  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    metrics.connections.inc({ protocol });
    let buf: Buffer = Buffer.alloc(0);
    let partialSince: number | undefined;
    let queued = 0;
    let bad = 0;
    let chain: Promise<void> = Promise.resolve();
    let closedBy: string | undefined;
    const session: Session<S> = {
      remote: `${socket.remoteAddress}:${socket.remotePort}`,
      state: opts.initialState(),
      send: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
      close: (reason) => {
        if (closedBy) return;
        closedBy = reason;
        metrics.socketsClosed.inc({ protocol, reason });
        socket.destroy();
      },
    };
    socket.setTimeout(limits.idleMs);

    const enqueue = (frame: F) => {
      if (++queued > limits.maxQueuedFrames) return session.close('flood');
      chain = chain
        // Frames read before a close are still handled: an alarm already received is stored (P1).
        .then(() => opts.onFrame(session, frame))
        .catch((err: unknown) => {
          // No ACK was sent: the device retransmits. The connection is dropped so it does promptly.
          logger.error({ err, protocol }, 'gateway frame could not be handled; closing the connection');
          session.close('handler_failed');
        })
        .finally(() => {
          queued--;
        });
    };

    socket.on('data', (chunk: Buffer) => {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      for (;;) {
        const r = opts.split(buf);
        if (r.kind === 'need_more') break;
        if (r.kind === 'fatal') return session.close(r.reason);
        buf = buf.subarray(r.used);
        if (r.kind === 'bad') {
          metrics.frames.inc({ protocol, outcome: r.reason });
          if (r.reply) session.send(r.reply);
          if (++bad > limits.maxBadFrames) return session.close('too_many_bad_frames');
          continue;
        }
        enqueue(r.frame);
        if (closedBy) return;
      }
      if (buf.length > limits.maxBufferBytes) return session.close('oversized');
      const now = Date.now();
      if (buf.length === 0) partialSince = undefined;
      else if (partialSince === undefined) partialSince = now;
      else if (now - partialSince > limits.stallMs) return session.close('stalled');
      // A begun frame must finish soon; an idle, empty connection may wait for the next heartbeat.
      socket.setTimeout(buf.length > 0 ? limits.stallMs : limits.idleMs);
    });
    socket.on('timeout', () => session.close(buf.length > 0 ? 'stalled' : 'idle'));
    socket.on('error', () => {
      // ECONNRESET and friends: the close handler does the bookkeeping.
    });
    socket.on('close', () => {
      sockets.delete(socket);
      metrics.connections.dec({ protocol });
      const vanished = closedBy !== undefined || socket.errored !== null;
      if (!closedBy) closedBy = 'peer';
      // Frames already queued are still handled (an alarm in flight is stored); then the close.
      void chain.then(() => opts.onClose?.(session, vanished));
    });
  });
  server.maxConnections = 19_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let stopping = false;
  server.on('error', (err) => {
    logger.error({ err, protocol }, 'gateway listener error');
    opts.onDown?.((err as NodeJS.ErrnoException).code ?? 'listener error');
  });
  server.on('close', () => {
    if (!stopping) opts.onDown?.('listener closed');
  });

  return {
    port: (server.address() as AddressInfo).port,
    connections: () => sockets.size,
    stop: async () => {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
