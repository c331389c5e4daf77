import type { Clock, Logger } from '../platform/index.ts';

/**
 * An alarm centre that dies silently is the worst failure: Centinela
 * pings an outside dead-man endpoint; when the pings stop, someone outside is told.
 * The URL may hold the monitor's secret, so it is never logged.
 */
export function startWatchdog(config: { url: string; intervalS: number }, logger: Logger, clock: Clock, alive: () => boolean) {
  let failures = 0;
  const ping = async () => {
    if (!alive()) return;
    try {
      const res = await fetch(config.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ service: 'centinela', at: new Date(clock.now()).toISOString() }),
        signal: AbortSignal.timeout(10_000),
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`watchdog answered HTTP ${res.status}`);
      if (failures > 0) logger.info({ failures }, 'watchdog reachable again');
      failures = 0;
    } catch (err) {
      failures += 1;
      if (failures === 1 || failures % 10 === 0)
        logger.warn({ err: { message: (err as Error).message }, failures }, 'watchdog ping failed');
    }
  };
  void ping();
  const timer = setInterval(() => void ping(), config.intervalS * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
