import type { EventBus } from '../events/index.ts';
import type { Logger } from '../platform/logger.ts';

/**
 * Liveness per path (issue 17 §5), health's one reaction to the protocol gateways:
 * - a device's own poll (DC-09 NULL, Contact ID periodic test, a GT06 position) is proof of life,
 *   exactly as a heartbeat is — liveness comes only from device-originated frames;
 * - a gateway going down or coming back is a technician matter, logged as such; its devices keep
 *   their own supervision.
 * Returns the unsubscribe functions, to join health's own.
 */
export function wireGatewayLiveness(events: EventBus, seen: (deviceId: string) => void, logger: Logger): (() => void)[] {
  const everyNode = { origin: 'any' as const };
  return [
    events.on('device.polled', (e) => seen(e.deviceId), everyNode),
    events.on('gateway.down', (e) =>
      logger.error({ gateway: e.gateway, reason: e.reason }, 'protocol gateway down: devices behind it cannot be heard'),
    ),
    events.on('gateway.up', (e) => logger.info({ gateway: e.gateway }, 'protocol gateway back')),
  ];
}
