import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * One registry per Centinela instance (not the global one), so several instances can run in
 * one test process without clashing metric names.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'centinela_' });
  const httpRequests = new Counter({
    name: 'centinela_http_requests_total',
    help: 'HTTP requests answered, by route and status code',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const authFailures = new Counter({
    name: 'centinela_auth_failures_total',
    help: 'Refused authentications, by surface (http, mqtt) and reason',
    labelNames: ['surface', 'reason'] as const,
    registers: [registry],
  });
  return { registry, httpRequests, authFailures, Counter, Gauge, Histogram };
}

export type Metrics = ReturnType<typeof createMetrics>;
