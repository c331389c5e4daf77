import fs from 'node:fs';
import type { Logger } from '../../platform/index.ts';

/**
 * Connections the kernel may hold, handshake done, until the process accepts them. A fleet
 * reconnecting after a restart sends thousands of SYNs a second; any the queue cannot hold are
 * dropped, and the device's own kernel sends each one again only after 1, 3, 7, 15, 31 s. With
 * Node's default of 511 every pause of the event loop longer than a tenth of a second (a commit,
 * a garbage collection) turned into devices coming back half a minute late
 * (bench/restart-storm-results.md). Asked for in full; Linux caps it at `net.core.somaxconn`.
 */
export const MQTT_LISTEN_BACKLOG = 65_535;

/** Below this kernel cap Centinela warns at start (4,096 is the default of Linux 5.4 and later). */
export const RECOMMENDED_SOMAXCONN = 4_096;

/** Linux's cap on any listen queue (`net.core.somaxconn`), or undefined where it cannot be read. */
export function readSomaxconn(text: string | undefined = readProc('/proc/sys/net/core/somaxconn')): number | undefined {
  const n = text === undefined ? Number.NaN : Number(text.trim());
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The queue the MQTT listeners actually get: what is asked for, capped by the kernel when known. */
export function effectiveBacklog(somaxconn: number | undefined): number {
  return somaxconn === undefined ? MQTT_LISTEN_BACKLOG : Math.min(MQTT_LISTEN_BACKLOG, somaxconn);
}

/** Says at start how many handshakes the kernel holds for the MQTT port; warns when too few for a restart. */
export function reportListenBacklog(logger: Logger, somaxconn: number | undefined): void {
  if (somaxconn === undefined) return;
  const listenBacklog = effectiveBacklog(somaxconn);
  if (somaxconn >= RECOMMENDED_SOMAXCONN)
    logger.info({ listenBacklog }, 'mqtt listen queue: connections the kernel holds while the process is busy');
  else
    logger.warn(
      { listenBacklog, recommended: RECOMMENDED_SOMAXCONN },
      'mqtt listen queue capped by net.core.somaxconn: after a restart devices will wait seconds to reconnect (docs/capacity.md)',
    );
}

function readProc(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
