import type { EventBus } from '../events/index.ts';
import type { Logger } from '../platform/logger.ts';
import type { Supervision } from './supervision.ts';

/**
 * Liveness per path (issue 17 §5), health's reaction to the protocol gateways:
 * - a device's own poll (DC-09 NULL, Contact ID periodic test, a GT06 position) is proof of life,
 *   exactly as a heartbeat is — liveness comes only from device-originated frames;
 * - a gateway going down is a technician matter: the devices last heard through it say
 *   `gateway_down` (each with a technician incident) instead of going silent, and the person is
 *   counted without a working alarm path; when it comes back they get a fresh window.
 * Returns the unsubscribe functions, to join health's own.
 */
export function wireGatewayLiveness(events: EventBus, supervision: Pick<Supervision, 'seen' | 'input'>, logger: Logger): (() => void)[] {
  const everyNode = { origin: 'any' as const };
  const cutOff = new Map<string, Set<string>>();
  return [
    events.on('device.polled', (e) => supervision.seen(e.deviceId), everyNode),
    events.on('gateway.down', (e) => {
      logger.error(
        { gateway: e.gateway, reason: e.reason, devices: e.deviceIds.length },
        'protocol gateway down: devices behind it cannot be heard',
      );
      const devices = cutOff.get(e.gateway) ?? new Set<string>();
      for (const id of e.deviceIds) {
        devices.add(id);
        supervision.input(id, { type: 'path_down' }, e.at);
      }
      cutOff.set(e.gateway, devices);
    }),
    events.on('gateway.up', (e) => {
      logger.info({ gateway: e.gateway }, 'protocol gateway back');
      for (const id of cutOff.get(e.gateway) ?? []) supervision.input(id, { type: 'path_up' }, e.at);
      cutOff.delete(e.gateway);
    }),
  ];
}
