import { type DevicePath, isOverdue, pathOf, pathVerdict } from '../domain/device-paths.ts';
import type { EventBus } from '../events/index.ts';
import type { Clock, Logger } from '../platform/index.ts';
import type { Repositories } from '../store/index.ts';

/**
 * Per-path supervision of dual-path devices (issue 18). A heartbeat marks its bearer heard; a
 * bearer silent past its own window is lost. One lost while another still speaks opens a
 * technician incident "path_degraded"; it closes when the path is back, or when every path is
 * lost — then the device is silent, which device supervision reports (P3).
 */
export class PathSupervision {
  private checking = false;
  /** Devices with declared paths, refreshed on every check: the heartbeat path stays free of queries for the others. */
  private declared = new Set<string>();
  /** When this node started supervising paths: each gets a fresh window from then. */
  private startedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: { repos: Pick<Repositories, 'devicePaths' | 'incidents'>; clock: Clock; logger: Logger }) {}

  listen(events: EventBus): (() => void)[] {
    return [
      events.on('heartbeat.received', async (e) => {
        if (this.declared.has(e.deviceId)) await this.heard(e.deviceId, e.heartbeat.signal.network, e.receivedAt);
      }),
    ];
  }

  /**
   * At start, before the first check: loads which devices have declared paths, gives every path a
   * fresh window (the centre's downtime is not the path's), and opens the history of paths that
   * have none yet. An interval a crash left open is kept, as liveness keeps its own: the outage
   * is recorded at start and left out of the reports.
   */
  async refresh(now = this.deps.clock.now()): Promise<void> {
    this.startedAt = now;
    await this.deps.repos.devicePaths.openMissingIntervals(now);
    this.declared = new Set((await this.deps.repos.devicePaths.all()).map((d) => d.deviceId));
  }

  async heard(deviceId: string, network: string, at: number): Promise<void> {
    const { devicePaths, incidents } = this.deps.repos;
    if (!(await devicePaths.heard(deviceId, pathOf(network), at))) return;
    const d = await devicePaths.of(deviceId);
    if (d && pathVerdict(d.paths) === 'ok') await incidents.close(deviceId, 'path_degraded', at, 'path restored');
  }

  /** Finds bearers past their window; returns how many were lost now. */
  async check(now = this.deps.clock.now()): Promise<number> {
    if (this.checking) return 0;
    this.checking = true;
    try {
      const { devicePaths, incidents } = this.deps.repos;
      let lost = 0;
      const all = await devicePaths.all();
      this.declared = new Set(all.map((d) => d.deviceId));
      for (const d of all) {
        const changed: DevicePath[] = [];
        for (const p of d.paths)
          if (isOverdue(p, d.declaredAt, now, this.startedAt) && (await devicePaths.markLost(d.deviceId, p.path, now)))
            changed.push(p.path);
        if (changed.length === 0) continue;
        lost += changed.length;
        const verdict = pathVerdict(d.paths.map((p) => ({ lost: p.lost || changed.includes(p.path) })));
        this.deps.logger.warn({ deviceId: d.deviceId, paths: changed, verdict }, 'device path lost');
        if (verdict === 'degraded') await incidents.open(d.deviceId, 'path_degraded', now);
        else if (verdict === 'silent') await incidents.close(d.deviceId, 'path_degraded', now, 'every path lost: device silent');
      }
      return lost;
    } finally {
      this.checking = false;
    }
  }
}
