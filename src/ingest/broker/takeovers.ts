import type { Client } from 'aedes';

/**
 * A device that reconnects while its old connection is still open takes it over: aedes closes
 * the old client when the new one registers ([MQTT-3.1.4-2]), and that close publishes the old
 * client's last will and reports it disconnected — although the device never left. Recorded as
 * leaving, that close would start the offline grace and, within minutes of an alarm, a false
 * "possible seizure" (src/alerts). The old client is marked when the new one is authenticated,
 * so its will and its close are ignored — unless the newcomer itself went away before taking
 * over, in which case the old connection's end is the device's real end.
 */
export class Takeovers {
  private readonly supersededBy = new WeakMap<Client, Client>();
  private readonly supersededElsewhere = new WeakSet<Client>();

  /** `incoming` passed authentication while `current` (same client id) is still connected. */
  mark(current: Client | undefined, incoming: Client): void {
    if (current && current !== incoming && !current.closed) this.supersededBy.set(current, incoming);
  }

  /**
   * The same device registered on another node while `client` is still connected here: aedes
   * closes `client` when it hears of it (`$SYS/<node>/new/clients`), and that close is no more
   * the device leaving than a takeover on this node.
   */
  markElsewhere(current: Client | undefined): void {
    if (current && !current.closed) this.supersededElsewhere.add(current);
  }

  /** Whether `client` is being (or was) replaced by a newer connection of the same device. */
  isSuperseded(client: Client): boolean {
    if (this.supersededElsewhere.has(client)) return true;
    const next = this.supersededBy.get(client);
    return next !== undefined && !next.closed;
  }
}
