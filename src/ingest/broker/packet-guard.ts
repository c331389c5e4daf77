import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

export type GuardRefusal = 'too_large' | 'malformed';

/** MQTT control packet type of DISCONNECT (fixed header, high nibble). */
const DISCONNECT = 14;

/**
 * Sits between a device's socket and aedes, which has no maximum packet size (docs/dependencies.md). It
 * reads each MQTT fixed header as the bytes arrive and, when a packet announces more than
 * `limit` bytes, closes the connection before the packet's body is handed to — and buffered
 * by — the broker. It also notes a clean DISCONNECT, which tells a goodbye from a vanishing.
 */
export class PacketGuard extends Duplex {
  readonly remoteAddress: string | undefined;
  /** The device sent DISCONNECT: it left on purpose. */
  sawDisconnect = false;

  // Parser state across chunks: which header byte comes next, and how much body to skip.
  private state: 'type' | 'length' | 'body' = 'type';
  private packetType = 0;
  private remaining = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private pendingWrite: ((err?: Error | null) => void) | undefined;
  private corked = false;

  constructor(
    private readonly socket: Socket,
    private readonly limit: number,
    private readonly onRefused: (reason: GuardRefusal, announced: number) => void,
  ) {
    super({ allowHalfOpen: false });
    this.remoteAddress = socket.remoteAddress;
    socket.on('data', (chunk: Buffer) => {
      const refusal = this.inspect(chunk);
      if (refusal) return this.refuse(refusal);
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (err) => this.destroy(err));
    socket.on('close', () => this.destroy());
    socket.on('drain', () => {
      const cb = this.pendingWrite;
      this.pendingWrite = undefined;
      cb?.();
    });
  }

  /** Walks the chunk's packet boundaries; returns a refusal as soon as one is due. */
  private inspect(chunk: Buffer): [GuardRefusal, number] | undefined {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'type') {
        this.packetType = (chunk[i] as number) >> 4;
        this.remaining = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        this.state = 'length';
        i++;
      } else if (this.state === 'length') {
        const byte = chunk[i] as number;
        i++;
        this.remaining += (byte & 0x7f) * this.multiplier;
        this.multiplier *= 128;
        this.lengthBytes++;
        if (byte & 0x80) {
          if (this.lengthBytes >= 4) return ['malformed', this.remaining];
          continue;
        }
        const total = 1 + this.lengthBytes + this.remaining;
        if (total > this.limit) return ['too_large', total];
        if (this.packetType === DISCONNECT) this.sawDisconnect = true;
        this.state = this.remaining === 0 ? 'type' : 'body';
      } else {
        const skip = Math.min(this.remaining, chunk.length - i);
        i += skip;
        this.remaining -= skip;
        if (this.remaining === 0) this.state = 'type';
      }
    }
    return undefined;
  }

  private refuse([reason, announced]: [GuardRefusal, number]): void {
    this.onRefused(reason, announced);
    this.socket.destroy();
    this.destroy();
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // The PUBACKs of one read batch go out in one system call, not one each.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    if (this.socket.write(chunk)) callback();
    else this.pendingWrite = callback;
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end(callback);
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    const pending = this.pendingWrite;
    this.pendingWrite = undefined;
    pending?.(err ?? new Error('connection closed'));
    this.socket.destroy();
    callback(err);
  }
}
