import type { Metrics } from '../../platform/metrics.ts';

/** Counters of the protocol gateways (issue 17), on the instance's own registry. */
export function createGatewayMetrics(metrics: Metrics) {
  const registers = [metrics.registry];
  return {
    frames: new metrics.Counter({
      name: 'centinela_gateway_frames_total',
      help: 'Frames received by the protocol gateways, by protocol and outcome (accepted, bad_crc, unknown_type, unregistered, …)',
      labelNames: ['protocol', 'outcome'] as const,
      registers,
    }),
    socketsClosed: new metrics.Counter({
      name: 'centinela_gateway_sockets_closed_total',
      help: 'Gateway sockets closed by Centinela, by protocol and reason (garbage, oversized, stalled, idle, flood, unregistered)',
      labelNames: ['protocol', 'reason'] as const,
      registers,
    }),
    connections: new metrics.Gauge({
      name: 'centinela_gateway_connections',
      help: 'Open TCP connections per protocol gateway',
      labelNames: ['protocol'] as const,
      registers,
    }),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
