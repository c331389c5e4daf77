import { Aedes, type AedesOptions, type Client, type PublishPacket } from 'aedes';

type Done = (error?: Error) => void;

/**
 * aedes, told which uplinks ingest has already consumed. The topic ACL lets no account
 * subscribe to uplink topics, so fanning a heartbeat out through mqemitter would reach no one;
 * skipping it keeps device traffic out of the emitter's unbounded queue, the place where plain
 * aedes overflows its stack under overload (docs/dependencies.md). Downlinks and the broker's own `$SYS`
 * messages still go through the emitter (and across nodes with Redis).
 */
export class CentinelaAedes extends Aedes {
  private readonly consumed = new WeakSet<object>();

  constructor(options: AedesOptions) {
    super(options);
  }

  /** The connected (or closing) client with this id on this node, as aedes tracks it. */
  clientById(id: string): Client | undefined {
    return (this as unknown as { clients: Record<string, Client | undefined> }).clients[id];
  }

  /** Marks a packet as handled by ingest: `publish` completes it without fan-out. */
  consume(packet: PublishPacket): void {
    this.consumed.add(packet);
  }

  override publish(packet: PublishPacket, clientOrDone: Client | null | Done, maybeDone?: Done): void {
    if (this.consumed.has(packet)) {
      const done = typeof clientOrDone === 'function' ? clientOrDone : maybeDone;
      // Asynchronously, as aedes does, so a long batch of packets cannot grow the stack.
      setImmediate(() => done?.());
      return;
    }
    (super.publish as unknown as (p: PublishPacket, c: Client | null | Done, d?: Done) => void).call(this, packet, clientOrDone, maybeDone);
  }
}
