import net from 'node:net';
import { readEnvelope } from '../../src/ingest/protocols/gt06/decoder.ts';
import { alarmFrame, type Fix, heartbeatFrame, locationFrame, loginFrame, type TrackerStatus } from './frames.ts';

export interface Gt06TrackerOptions {
  host: string;
  port: number;
  imei: string;
  /** Resend an unanswered login or alarm after this long (real trackers: 10–60 s). */
  retryMs?: number;
}

/**
 * A GT06 personal tracker over TCP: logs in, sends heartbeats and positions, and keeps
 * resending an SOS until the server answers it (the answer is the device's "help is coming").
 */
export class Gt06Tracker {
  private socket: net.Socket | undefined;
  private serial = 0;
  private buf = Buffer.alloc(0);
  private readonly waiting = new Map<string, () => void>();
  /** Protocol numbers and serials the server answered, in order. */
  readonly answers: { protocol: number; serial: number }[] = [];
  closed = false;

  constructor(private readonly opts: Gt06TrackerOptions) {}

  async connect(): Promise<void> {
    const socket = net.connect({ host: this.opts.host, port: this.opts.port, noDelay: true });
    this.socket = socket;
    this.closed = false;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
  }

  /** Logs in; resolves once the server answered (rejects if the server hangs up). */
  login(): Promise<void> {
    const serial = this.next();
    return this.sendAndAwait(loginFrame(this.opts.imei, serial), 0x01, serial);
  }

  heartbeat(status: Partial<TrackerStatus> = {}): Promise<void> {
    const serial = this.next();
    return this.sendAndAwait(heartbeatFrame({ voltage: 5, gsm: 3, charging: false, alarm: 0, ...status }, serial), 0x13, serial);
  }

  /** Positions are not answered by the server. */
  position(fix: Fix): void {
    this.write(locationFrame(fix, this.next()));
  }

  /** An SOS (or another alarm byte), resent with the same serial until answered. */
  alarm(fix: Fix, alarm = 0x01): Promise<void> {
    const serial = this.next();
    return this.sendAndAwait(alarmFrame(fix, { voltage: 4, gsm: 3, charging: false, alarm }, serial), 0x16, serial);
  }

  /** Raw bytes, for tests of bad input. */
  write(bytes: Buffer): void {
    this.socket?.write(bytes);
  }

  close(): void {
    this.socket?.destroy();
  }

  private next(): number {
    this.serial = (this.serial + 1) & 0xffff;
    return this.serial;
  }

  private sendAndAwait(frame: Buffer, protocol: number, serial: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const key = `${protocol}:${serial}`;
      const retry = setInterval(() => this.write(frame), this.opts.retryMs ?? 10_000);
      const onClose = () => {
        clearInterval(retry);
        this.waiting.delete(key);
        reject(new Error('the server closed the connection'));
      };
      this.socket?.once('close', onClose);
      this.waiting.set(key, () => {
        clearInterval(retry);
        this.socket?.off('close', onClose);
        resolve();
      });
      this.write(frame);
    });
  }

  private onData(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      const r = readEnvelope(this.buf);
      if (r.kind === 'need_more' || r.kind === 'fatal') return;
      if (r.kind === 'bad') {
        this.buf = this.buf.subarray(r.used);
        continue;
      }
      const { protocol, serial, total } = r.envelope;
      this.buf = this.buf.subarray(total);
      this.answers.push({ protocol, serial });
      this.waiting.get(`${protocol}:${serial}`)?.();
    }
  }
}
