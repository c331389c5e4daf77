import net, { type AddressInfo } from 'node:net';
import {
  encodeMo,
  encodeMtConfirmation,
  IE,
  type MoHeader,
  type MoLocation,
  readIes,
  splitMessage,
} from '../../src/ingest/protocols/sbd/directip.ts';
import { encodePayload, type SbdPayload } from '../../src/ingest/protocols/sbd/payload.ts';

export interface MtReceived {
  imei: string;
  clientMessageId: number;
  payload: Buffer;
}

/**
 * Plays Iridium's part: delivers terminals' mobile-originated messages to Centinela over
 * DirectIP (one TCP connection each, waiting for the MO confirmation), and accepts Centinela's
 * mobile-terminated messages on its own MT port, answering each with an MT confirmation.
 */
export class SimulatedIridiumGateway {
  readonly mt: MtReceived[] = [];
  private server: net.Server | undefined;
  private autoId = 1000;
  private readonly mtWaiters: ((m: MtReceived) => void)[] = [];
  /** The MT status to answer with (> 0 queued; negative refused). */
  mtStatus = 1;

  /** `target`: Centinela's SBD port (settable: Centinela may start after the MT port is known). */
  constructor(public target: { host: string; port: number }) {}

  /** Starts the MT listener; returns its `host:port` for CENTINELA_SBD_MT_ADDRESS. */
  async listenMt(): Promise<string> {
    const server = net.createServer((socket) => {
      let buf = Buffer.alloc(0);
      socket.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        const r = splitMessage(buf);
        if (r.kind !== 'frame') return;
        const ies = readIes(r.frame);
        const header = ies?.get(IE.mtHeader);
        const payload = ies?.get(IE.mtPayload) ?? Buffer.alloc(0);
        if (!header) return socket.destroy();
        const got = {
          clientMessageId: header.readUInt32BE(0),
          imei: header.subarray(4, 19).toString('latin1'),
          payload: Buffer.from(payload),
        };
        this.mt.push(got);
        socket.end(
          encodeMtConfirmation({ clientMessageId: got.clientMessageId, imei: got.imei, autoId: this.autoId++, status: this.mtStatus }),
        );
        for (const w of this.mtWaiters.splice(0)) w(got);
      });
      socket.on('error', () => {});
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  nextMt(): Promise<MtReceived> {
    return new Promise((resolve) => this.mtWaiters.push(resolve));
  }

  /** Delivers one MO message; resolves with the MO confirmation bytes Centinela answered (or none). */
  deliver(message: Buffer): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      const socket = net.connect(this.target);
      let got = Buffer.alloc(0);
      socket.on('connect', () => socket.write(message));
      socket.on('data', (d: Buffer) => {
        got = Buffer.concat([got, d]);
        if (splitMessage(got).kind === 'frame') {
          socket.destroy();
          resolve(got);
        }
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve(got.length > 0 ? got : undefined));
    });
  }

  /** Stops accepting MT messages (an Iridium outage, as far as Centinela can tell). */
  async stopMt(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** An Iridium SBD terminal with Centinela's payload: each send is a new MO message (MOMSN + 1). */
export class SbdTerminal {
  private momsn = 0;

  constructor(
    private readonly gateway: SimulatedIridiumGateway,
    readonly imei: string,
  ) {}

  message(payload: SbdPayload | undefined, opts: { sessionStatus?: number; location?: MoLocation } = {}): Buffer {
    const header: MoHeader = {
      cdrReference: 0x01020304 + this.momsn,
      imei: this.imei,
      sessionStatus: opts.sessionStatus ?? 0,
      momsn: ++this.momsn,
      mtmsn: 0,
      sessionAt: Date.now(),
    };
    return encodeMo(header, payload ? encodePayload(payload) : undefined, opts.location);
  }

  send(payload: SbdPayload | undefined, opts: { sessionStatus?: number; location?: MoLocation } = {}): Promise<Buffer | undefined> {
    return this.gateway.deliver(this.message(payload, opts));
  }
}
