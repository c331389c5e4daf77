/**
 * Offline detection on a sample of the fleet, run in the benchmark's own process so we know
 * exactly when each device failed:
 * - `dropped`: the connection is killed without DISCONNECT (a dead battery, lost coverage); the
 *   broker publishes the last will, and Centinela marks the device offline after the grace
 *   (one heartbeat interval, 60 s for a panic button).
 * - `hung`: the device stays connected (keep-alive pings go on) but never sends a heartbeat:
 *   frozen firmware with a live modem. Centinela must mark it offline 180 s after it was last
 *   heard (its connect). The simulator has no "hang" mode, so these are simulators whose own
 *   heartbeat interval is ~11 days; the server still supervises them at the catalogue's 60/180 s.
 */
import type { FleetDevice } from '../devices/fleet/fleet-device.ts';
import { type Fleet, runFleet } from '../devices/fleet/run-fleet.ts';
import { type Summary, summarise } from './load-alarms.ts';
import type { StreamWatch } from './load-stream.ts';

/** Device-side interval for the hung sample: long enough never to tick, short enough for setTimeout (< 2^31 ms). */
const NEVER_S = 1_000_000;
export const GRACE_MS = 60_000;
export const OFFLINE_AFTER_MS = 180_000;

export interface OfflineSample {
  readonly ids: ReadonlySet<string>;
  /** Kills the dropped half's connections now. */
  drop(): void;
  /** True once every sampled device was seen going offline. */
  done(): boolean;
  /** When the last hung device is due offline (ms). */
  hungDueAt(): number;
  result(): OfflineResult;
  stop(): Promise<void>;
}

export interface OfflineResult {
  dropped: { n: number; killToDisconnected?: Summary; killToOffline?: Summary; pastGrace?: Summary; missed: number };
  hung: { n: number; silenceToOffline?: Summary; pastWindow?: Summary; missed: number };
}

export async function startOfflineSample(
  url: string,
  stream: StreamWatch,
  dropped: FleetDevice[],
  hung: FleetDevice[],
): Promise<OfflineSample> {
  const connectedAt = new Map<string, number>();
  const fleet: Fleet = await runFleet({
    url,
    devices: [...dropped, ...hung.map((d) => ({ ...d, heartbeatIntervalS: NEVER_S }))],
    seed: 'load-offline',
    alarmEveryS: 0,
    onEvent: (e) => {
      if (e.type === 'connected' && !connectedAt.has(e.deviceId)) connectedAt.set(e.deviceId, e.at);
    },
  });
  let killedAt: number | undefined;
  const offlineSeen = (id: string) => stream.changes(id).find((c) => c.to === 'offline')?.seenAt;
  const all = [...dropped, ...hung];
  return {
    ids: new Set(all.map((d) => d.id)),
    drop: () => {
      killedAt = Date.now();
      for (const d of dropped) fleet.simulators.get(d.id)?.dropConnection();
    },
    done: () => all.every((d) => offlineSeen(d.id) !== undefined),
    hungDueAt: () => Math.max(...hung.map((d) => (connectedAt.get(d.id) ?? 0) + OFFLINE_AFTER_MS)),
    result: () => {
      const k = killedAt ?? Number.NaN;
      const disc = dropped.map((d) => stream.changes(d.id).find((c) => c.to === 'disconnected' && c.seenAt >= k)?.seenAt);
      const off = dropped.map((d) => offlineSeen(d.id)).filter((t): t is number => t !== undefined);
      const hungOff = hung
        .map((d) => ({ off: offlineSeen(d.id), from: connectedAt.get(d.id) }))
        .filter((x): x is { off: number; from: number } => x.off !== undefined && x.from !== undefined);
      return {
        dropped: {
          n: dropped.length,
          killToDisconnected: summarise(disc.filter((t): t is number => t !== undefined).map((t) => t - k)),
          killToOffline: summarise(off.map((t) => t - k)),
          pastGrace: summarise(off.map((t) => t - k - GRACE_MS)),
          missed: dropped.length - off.length,
        },
        hung: {
          n: hung.length,
          silenceToOffline: summarise(hungOff.map((x) => x.off - x.from)),
          pastWindow: summarise(hungOff.map((x) => x.off - x.from - OFFLINE_AFTER_MS)),
          missed: hung.length - hungOff.length,
        },
      };
    },
    stop: () => fleet.stop(),
  };
}
