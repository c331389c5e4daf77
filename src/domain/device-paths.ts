/**
 * Dual-path devices (issue 18): a device with two bearers (e.g. cellular MQTT and satellite)
 * has a supervision window per path. One path lost is a technician incident ("path degraded");
 * all lost is the device going silent, which device supervision already handles (P3). Pure.
 */
export const PATHS = ['cellular', 'satellite', 'wired'] as const;
export type DevicePath = (typeof PATHS)[number];

/** The bearer a heartbeat came over, from the network it reports. */
export function pathOf(network: string): DevicePath {
  if (['satellite', 'iridium', 'inmarsat', 'globalstar'].includes(network)) return 'satellite';
  if (network === 'wifi' || network === 'ethernet') return 'wired';
  return 'cellular';
}

export interface PathState {
  path: DevicePath;
  windowS: number;
  lastHeardAt: number | null;
  lost: boolean;
}

/**
 * A path is overdue when nothing came over it within its window (counted from `since` if never
 * heard). `freshFrom`: when Centinela last started — its own downtime is not the path's, so each
 * path gets a whole window from then, as liveness gives each device (src/domain/liveness.ts).
 */
export const isOverdue = (p: PathState, since: number, now: number, freshFrom = Number.NEGATIVE_INFINITY): boolean =>
  !p.lost && now - Math.max(p.lastHeardAt ?? since, freshFrom) > p.windowS * 1000;

/** What the paths say about the device: all up, some lost (degraded), or all lost (silent). */
export function pathVerdict(paths: Pick<PathState, 'lost'>[]): 'ok' | 'degraded' | 'silent' {
  const lost = paths.filter((p) => p.lost).length;
  if (lost === 0) return 'ok';
  return lost === paths.length ? 'silent' : 'degraded';
}
