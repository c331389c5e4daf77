import type { Metrics } from '../platform/metrics.ts';

/** Alerts' counters, on the instance's own registry. */
export function createAlertsMetrics(metrics: Metrics) {
  const registers = [metrics.registry];
  return {
    attempts: new metrics.Counter({
      name: 'centinela_alerts_notification_attempts_total',
      help: 'Notification attempts, by channel and result (sent, delivered, calling, retry, failed)',
      labelNames: ['channel', 'status'] as const,
      registers,
    }),
    steps: new metrics.Counter({
      name: 'centinela_alerts_steps_fired_total',
      help: 'Escalation steps that paged someone, by target',
      labelNames: ['target'] as const,
      registers,
    }),
    due: new metrics.Gauge({
      name: 'centinela_alerts_steps_pending',
      help: 'Escalation steps still scheduled (alarms not yet acknowledged or repeating)',
      registers,
    }),
  };
}

export type AlertsMetrics = ReturnType<typeof createAlertsMetrics>;
