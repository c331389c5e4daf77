import type { Metrics } from '../platform/index.ts';
import type { DeviceDirectory } from './device-directory.ts';
import type { Supervisor } from './supervisor.ts';

/** `centinela_health_devices{state}`: supervised devices by liveness state, counted when scraped. */
export function registerLivenessGauge(metrics: Metrics, directory: DeviceDirectory, supervisor: Supervisor): void {
  new metrics.Gauge({
    name: 'centinela_health_devices',
    help: 'Supervised devices by liveness state',
    labelNames: ['state'] as const,
    registers: [metrics.registry],
    collect() {
      const counts = new Map<string, number>();
      for (const d of directory.all()) {
        const s = supervisor.stateOf(d.id) ?? 'never_seen';
        counts.set(s, (counts.get(s) ?? 0) + 1);
      }
      this.reset();
      for (const [state, n] of counts) this.set({ state }, n);
    },
  });
}
