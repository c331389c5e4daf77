import dgram from 'node:dgram';
import net from 'node:net';
import { checkEnvelope, encodeMessage, parseBody, splitFrame } from '../../src/ingest/protocols/dc09/frame.ts';

export interface Dc09CommunicatorOptions {
  host: string;
  port: number;
  transport: 'tcp' | 'udp';
  account: string;
  /** AES key of the account, when it encrypts. */
  key?: Buffer | undefined;
  /** Seconds to add to the clock (to test the receiver's time window). */
  clockOffsetS?: number;
}

export interface Dc09Answer {
  id: string;
  seq: string;
  raw: string;
}

/**
 * An alarm communicator (a panel or an NVR's reporting module) speaking SIA DC-09 with Contact
 * ID, over TCP or UDP: each message waits for the receiver's ACK, NAK or DUH.
 */
export class Dc09Communicator {
  private seq = 0;
  private tcp: net.Socket | undefined;
  private udp: dgram.Socket | undefined;
  private buf = Buffer.alloc(0);
  private pending: ((a: Dc09Answer) => void) | undefined;

  constructor(private readonly opts: Dc09CommunicatorOptions) {}

  async open(): Promise<void> {
    if (this.opts.transport === 'tcp') {
      const s = net.connect({ host: this.opts.host, port: this.opts.port });
      this.tcp = s;
      s.on('data', (d: Buffer) => {
        this.buf = Buffer.concat([this.buf, d]);
        for (;;) {
          const r = splitFrame(this.buf);
          if (r.kind !== 'frame') return;
          this.buf = this.buf.subarray(r.used);
          this.answer(r.frame);
        }
      });
      s.on('error', () => {});
      await new Promise((resolve) => s.once('connect', resolve));
    } else {
      const u = dgram.createSocket('udp4');
      this.udp = u;
      u.on('message', (m) => this.answer(m));
      await new Promise<void>((resolve) => u.bind(0, '127.0.0.1', () => resolve()));
    }
  }

  /** A NULL supervision poll. */
  poll(): Promise<Dc09Answer> {
    return this.send('NULL', '');
  }

  /** A Contact ID event, e.g. `1120 01 015` (panic, partition 1, zone 15). */
  contactId(event: string, loc?: { lat: number; lon: number }): Promise<Dc09Answer> {
    return this.send('ADM-CID', `#${this.opts.account}|${event}`, loc ? `[X${loc.lon}][Y${loc.lat}]` : '');
  }

  /** Any message type (tests of DUH) or any raw frame. */
  send(id: string, data: string, extended = ''): Promise<Dc09Answer> {
    this.seq = (this.seq % 9999) + 1;
    const now = Date.now() + (this.opts.clockOffsetS ?? 0) * 1000;
    const frame = encodeMessage(
      { id, seq: String(this.seq).padStart(4, '0'), receiver: '1', line: '0', account: this.opts.account },
      data,
      {
        key: this.opts.key,
        timestamp: now,
        extended,
      },
    );
    return this.sendRaw(frame);
  }

  sendRaw(frame: Buffer): Promise<Dc09Answer> {
    return new Promise((resolve) => {
      this.pending = resolve;
      if (this.tcp) this.tcp.write(frame);
      else this.udp?.send(frame, this.opts.port, this.opts.host);
    });
  }

  close(): void {
    this.tcp?.destroy();
    this.udp?.close();
  }

  private answer(frame: Buffer): void {
    const raw = frame.toString('latin1');
    const env = checkEnvelope(frame);
    const parsed = env.ok ? parseBody(env.body, () => this.opts.key) : undefined;
    const id = parsed?.ok ? parsed.message.id : (/"\*?([A-Z]+)"/.exec(raw)?.[1] ?? 'unreadable');
    const seq = parsed?.ok ? parsed.message.seq : '';
    const done = this.pending;
    this.pending = undefined;
    done?.({ id, seq, raw });
  }
}
