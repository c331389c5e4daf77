import type { Client } from 'aedes';

/**
 * Connections this node closed for reasons of its own — a publish the topic ACL refused, a packet
 * the guard refused, the node shutting down. Such a close is not the device leaving (issue 13
 * §1): its will is dropped and it is not reported as a disconnect, so neither offline detection
 * nor the seizure rule (src/alerts) hears of it. A device that really vanished is noticed by its
 * silence (src/health) like any other.
 */
export class ServerCloses {
  private readonly closed = new WeakSet<Client>();
  private stopping = false;

  mark(client: Client | null | undefined): void {
    if (client) this.closed.add(client);
  }

  /** Every connection closed from now on is the node's doing. */
  markAll(): void {
    this.stopping = true;
  }

  isOurs(client: Client): boolean {
    return this.stopping || this.closed.has(client);
  }
}
