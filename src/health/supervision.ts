import type { LivenessInput } from '../domain/liveness.ts';
import type { EventBus } from '../events/index.ts';
import type { Clock, Logger } from '../platform/index.ts';
import type { Repositories, WriteQueue } from '../store/index.ts';
import type { DeviceDirectory } from './device-directory.ts';
import type { ProtectionGaps } from './protection-gaps.ts';
import type { Supervisor } from './supervisor.ts';

export interface SupervisionDeps {
  directory: DeviceDirectory;
  supervisor: Supervisor;
  gaps: ProtectionGaps;
  repos: Pick<Repositories, 'liveness' | 'protectionGaps'>;
  writes: WriteQueue;
  clock: Clock;
  logger: Logger;
}

/** Last-heard times are saved in pieces this big, so a state change queued meanwhile is written between them. */
const LAST_SEEN_PIECE = 1000;

/**
 * Supervision as the node runs it: what devices are heard from feeds the supervisor, deadlines
 * fire on `tick`, the registry is re-read on `sync`. Only the node that supervises (the leader on
 * a shared PostgreSQL, or a node alone) feeds the supervisor; a follower leaves the states alone
 * and rebuilds them from the database when it takes over.
 */
export class Supervision {
  private supervising = false;

  constructor(private readonly deps: SupervisionDeps) {}

  get active(): boolean {
    return this.supervising;
  }

  /** On start: the registry and the gaps still open. */
  async load(): Promise<void> {
    await this.deps.directory.sync();
    this.deps.gaps.restore(await this.deps.repos.protectionGaps.open());
  }

  /** Takes supervision: the states the last run (or leader) wrote, each supervised device with a fresh window. */
  async takeOver(): Promise<void> {
    await this.deps.directory.sync();
    this.deps.supervisor.restore(await this.deps.repos.liveness.loadAll(), this.deps.clock.now());
    this.supervising = true;
  }

  standDown(): void {
    this.supervising = false;
  }

  /** Whether the registry knows the device (looked up when it is new); a new device starts being supervised. */
  async known(deviceId: string): Promise<boolean> {
    if (this.deps.directory.get(deviceId)) return true;
    const meta = await this.deps.directory.loadOne(deviceId);
    if (meta && this.supervising) this.deps.supervisor.track(meta, this.deps.clock.now());
    return meta !== undefined;
  }

  /**
   * Anything authenticated from a device means it is alive. `then`: an input that happened after
   * it and must be applied after it (a last will that overtook this connection's news).
   */
  seen(deviceId: string, then?: LivenessInput): void {
    if (!this.supervising) return;
    if (this.deps.supervisor.input(deviceId, { type: 'seen' }, this.deps.clock.now())) {
      if (then) this.input(deviceId, then);
      return;
    }
    // Not in the directory yet (registered since the last sync): look it up, in order with the records.
    this.deps.writes.enqueue('lookup', async () => {
      if (!(await this.known(deviceId)) || !this.supervising) return;
      this.deps.supervisor.input(deviceId, { type: 'seen' }, this.deps.clock.now());
      if (then) this.input(deviceId, then);
    });
  }

  /**
   * A device's connection (or any message from it) and its last will can be handled by different
   * nodes and reach this one out of order (the relay keeps each node's order, not the cluster's):
   * a will that arrives before the news it follows would be ignored (the device not yet online),
   * and that late news would then show a vanished device online until its silence is noticed.
   * Each will is remembered until news received after it arrives; older news is applied, then
   * the will again. Receive times are stamped on arrival, before any lookup
   * (src/ingest/external/consumer.ts), so they order what the broker delivered as well as the
   * nodes' clocks and event loops allow: to within milliseconds.
   */
  private readonly willAt = new Map<string, number>();

  /**
   * Proof of life received at `at`: applied before a will received later, after one received
   * earlier or in the same millisecond (a takeover's will and new `online` come that close, in
   * that order, and one node hears both).
   */
  private heard(deviceId: string, at: number): void {
    const will = this.willAt.get(deviceId);
    if (will !== undefined && will > at) {
      this.seen(deviceId, { type: 'last_will' });
      return;
    }
    this.willAt.delete(deviceId);
    this.seen(deviceId);
  }

  private lastWill(deviceId: string, at: number): void {
    this.willAt.set(deviceId, at);
    this.input(deviceId, { type: 'last_will' });
  }

  /** Applies an input other than "seen" (a last will, maintenance starting or ending) when supervising. */
  input(deviceId: string, input: LivenessInput, now = this.deps.clock.now()): void {
    if (this.supervising) this.deps.supervisor.input(deviceId, input, now);
  }

  /** Fires due deadlines; false when this node does not supervise. */
  tick(now: number): boolean {
    if (!this.supervising) return false;
    this.deps.supervisor.tick(now);
    return true;
  }

  /** Picks up changed registry rows: new devices are tracked, retired ones retire. */
  async sync(): Promise<void> {
    const now = this.deps.clock.now();
    for (const meta of await this.deps.directory.sync()) {
      if (!this.supervising) continue;
      this.deps.supervisor.track(meta, now);
      if (meta.retiredAt !== null && meta.retiredAt <= now) this.deps.supervisor.input(meta.id, { type: 'retired' }, now);
    }
  }

  /**
   * Queues the last-heard times changed since the last save. They touch the liveness rows, so
   * they go in line with the transitions (no lock-order races on PostgreSQL).
   */
  queueLastSeen(): void {
    const dirty = this.deps.supervisor.takeDirty(this.deps.clock.now());
    const saveFrom = (i: number): void =>
      this.deps.writes.enqueue('last seen', async () => {
        await this.deps.repos.liveness.saveLastSeen(dirty.slice(i, i + LAST_SEEN_PIECE));
        if (i + LAST_SEEN_PIECE < dirty.length) saveFrom(i + LAST_SEEN_PIECE);
      });
    if (dirty.length > 0) saveFrom(0);
  }

  /** Liveness hears every node's devices (relayed events). */
  listen(events: EventBus): (() => void)[] {
    const everyNode = { origin: 'any' as const };
    return [
      events.on('heartbeat.received', (e) => this.heard(e.deviceId, e.receivedAt), everyNode),
      events.on('device.connected', (e) => this.heard(e.deviceId, e.at), everyNode),
      // A goodbye (clean disconnect) is not silence; only the broker's last will starts the grace.
      events.on(
        'device.disconnected',
        (e) => {
          if (e.lastWill) this.lastWill(e.deviceId, e.at);
        },
        everyNode,
      ),
      events.on('device.event.received', (e) => this.heard(e.deviceId, e.receivedAt), everyNode),
      events.on('alarm.raised', (e) => this.heard(e.deviceId, e.receivedAt), everyNode),
      events.on('device.registered', (e) => {
        this.deps.writes.enqueue('lookup', async () => {
          await this.known(e.deviceId);
        });
      }),
    ];
  }
}
