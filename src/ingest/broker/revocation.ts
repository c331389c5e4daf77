import type { Aedes, Client } from 'aedes';
import type { EventBus } from '../../events/index.ts';
import type { Logger } from '../../platform/index.ts';
import type { Principal } from '../topics.ts';

/**
 * Issue 15: a revoked credential ends the session now. When a device's or gateway's secret is
 * rotated or the account retired (on any node: the event is relayed), every connection this
 * broker holds for it is closed; the next CONNECT is checked against the new secret and refused.
 */
export function closeRevokedConnections(
  events: EventBus,
  broker: () => Aedes,
  principals: WeakMap<Client, Principal>,
  logger: Logger,
): () => void {
  const clients = () => (broker() as unknown as { clients: Record<string, Client> }).clients ?? {};
  const close = (e: { account: string; id: string; reason: string }) => {
    if (e.account !== 'device' && e.account !== 'gateway') return;
    for (const client of Object.values(clients())) {
      const p = principals.get(client);
      if (p?.kind !== e.account || p.id !== e.id) continue;
      logger.warn({ account: e.account, id: e.id, reason: e.reason }, 'credential revoked: closing its MQTT connection');
      client.close();
    }
  };
  // Revocations made on another node arrive as remote events (src/events/redis-relay.ts).
  return events.on('credential.revoked', close, { origin: 'any' });
}
