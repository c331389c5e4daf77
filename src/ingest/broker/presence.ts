import type { Redis } from 'ioredis';

/** One hash for the fleet: a field per device, its value the broker id of its latest connection. */
export const PRESENCE_KEY = 'centinela:mqtt:presence';

/**
 * Claims a dead node's will as the device's departure, atomically: only when the device's latest
 * connection is the one the will belongs to (or none is known). The field is then set to
 * `<broker>/left`, so the survivors that publish the same stored will (each of them does) report
 * it once, and a connection made since (another broker id) makes the will stale.
 */
const CLAIM_DEPARTURE = `
local latest = redis.call('HGET', KEYS[1], ARGV[1])
if latest == false or latest == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '/left')
  return 1
end
return 0`;

/**
 * Where each device was last connected, across the nodes of one Centinela (issue 11 §2).
 *
 * When a node dies, a survivor publishes the last wills it stored in Redis (aedes-persistence-redis,
 * docs/dependencies.md), minutes later. By then the device has usually reconnected to another node:
 * its will is stale, and reported it would mark a connected device `disconnected` and could feed the
 * seizure rule (src/alerts/escalation/seizure-signals.ts). Each node records, when a device's
 * connection is ready, its own broker id as that device's latest connection; a will stored by
 * another broker is the device's departure only if that broker still holds the latest connection.
 *
 * Written once per connection, read once per dead node's will: nothing per heartbeat.
 */
export interface Presence {
  /** This node now holds the device's connection. */
  arrived(deviceId: string): void;
  /**
   * Whether the will `willBrokerId` stored for the device is its departure (true, once across
   * nodes) or stale: the device connected again since, wherever that was (false).
   */
  claimDeparture(deviceId: string, willBrokerId: string): Promise<boolean>;
}

/** One node, no Redis: no other node's wills exist, and every will is the device's own. */
export const singleNodePresence: Presence = {
  arrived: () => {},
  claimDeparture: async () => true,
};

export function redisPresence(conn: Redis, brokerId: string, onError: (err: unknown) => void): Presence {
  return {
    arrived: (deviceId) => {
      conn.hset(PRESENCE_KEY, deviceId, brokerId).catch(onError);
    },
    claimDeparture: async (deviceId, willBrokerId) => (await conn.eval(CLAIM_DEPARTURE, 1, PRESENCE_KEY, deviceId, willBrokerId)) === 1,
  };
}
