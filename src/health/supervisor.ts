import type { LastSeen, TransitionRecord } from '../domain/health.ts';
import {
  initialLiveness,
  type Liveness,
  type LivenessEffect,
  type LivenessInput,
  type LivenessState,
  stepLiveness,
} from '../domain/liveness.ts';
import type { EventBus } from '../events/index.ts';
import type { Repositories, WriteQueue } from '../store/index.ts';
import { DeadlineHeap } from './deadline-heap.ts';
import type { DeviceDirectory, DeviceMeta } from './device-directory.ts';
import type { ProtectionGaps } from './protection-gaps.ts';

export interface SupervisorDeps {
  directory: DeviceDirectory;
  liveness: Repositories['liveness'];
  gaps: ProtectionGaps;
  events: EventBus;
  writes: WriteQueue;
}

/**
 * The liveness shell: keeps every device's state in memory, its next deadline in a min-heap, and
 * turns the pure state machine's effects into records and events (P3). Inputs are applied
 * synchronously; records are queued in order, and each event is emitted once its record is
 * written (the database holds the truth).
 */
export class Supervisor {
  private readonly states = new Map<string, Liveness>();
  private readonly heap = new DeadlineHeap();
  private readonly lastSeenDirty = new Set<string>();
  private pending: { record: TransitionRecord; beneficiaryId: string | null; effects: LivenessEffect[]; gapDurationMs: number | null }[] =
    [];

  constructor(private readonly deps: SupervisorDeps) {}

  stateOf = (deviceId: string): LivenessState | undefined => this.states.get(deviceId)?.state;
  liveness(deviceId: string): Liveness | undefined {
    return this.states.get(deviceId);
  }
  get deadlines(): number {
    return this.heap.size;
  }

  /**
   * Rebuilds from the stored states after a start. Supervised devices get a fresh window from
   * `now` (Centinela's downtime is not theirs: no offline storm); new devices start never_seen.
   */
  restore(stored: Map<string, Liveness>, now: number): void {
    const fresh: string[] = [];
    for (const meta of this.deps.directory.all()) {
      const state = stored.get(meta.id);
      this.states.set(meta.id, state ?? initialLiveness(now));
      if (!state) fresh.push(meta.id);
    }
    if (fresh.length > 0) this.deps.writes.enqueue('liveness', () => this.deps.liveness.recordNeverSeen(fresh, now));
    for (const meta of this.deps.directory.all()) {
      if (stored.has(meta.id)) this.apply(meta, { type: 'restarted' }, now);
      if (meta.retiredAt !== null && meta.retiredAt <= now) this.apply(meta, { type: 'retired' }, now);
    }
  }

  /** Starts supervising a device not seen before (registered since the start, say). */
  track(meta: DeviceMeta, now: number): void {
    if (this.states.has(meta.id)) return;
    this.states.set(meta.id, initialLiveness(now));
    this.deps.writes.enqueue('liveness', () => this.deps.liveness.recordNeverSeen([meta.id], now));
  }

  /** Applies one input; returns false for a device the directory does not know. */
  input(deviceId: string, input: LivenessInput, now: number): boolean {
    const meta = this.deps.directory.get(deviceId);
    if (!meta) return false;
    if (!this.states.has(deviceId)) this.track(meta, now);
    this.apply(meta, input, now);
    return true;
  }

  /** Fires every deadline that is due. Stale heap entries (the device was heard since) are dropped. */
  tick(now: number): void {
    for (const entry of this.heap.due(now)) {
      const state = this.states.get(entry.key);
      if (!state?.deadline || state.deadline.at !== entry.at) continue;
      const meta = this.deps.directory.get(entry.key);
      if (meta) this.apply(meta, { type: 'deadline' }, now);
    }
  }

  /** Last-heard times to save in the next batch. */
  takeDirty(now: number): LastSeen[] {
    const out: LastSeen[] = [];
    for (const id of this.lastSeenDirty) {
      const state = this.states.get(id);
      if (state) out.push({ deviceId: id, lastSeenAt: state.lastSeenAt, windowFrom: state.windowFrom, now });
    }
    this.lastSeenDirty.clear();
    return out;
  }

  private apply(meta: DeviceMeta, input: LivenessInput, now: number): void {
    const before = this.states.get(meta.id) ?? initialLiveness(now);
    const { state, effects } = stepLiveness(before, input, now, meta.window);
    this.states.set(meta.id, state);
    if (state.deadline && state.deadline.at !== before.deadline?.at)
      this.heap.push({ at: state.deadline.at, key: meta.id, payload: undefined });
    if (effects.length === 0) {
      if (state.lastSeenAt !== before.lastSeenAt || state.windowFrom !== before.windowFrom) this.lastSeenDirty.add(meta.id);
      return;
    }
    this.lastSeenDirty.delete(meta.id);
    this.record(meta, state, effects);
  }

  private record(meta: DeviceMeta, state: Liveness, effects: LivenessEffect[]): void {
    const transition = effects.find((e) => e.type === 'transition');
    if (transition?.type !== 'transition') return;
    const beneficiaryId = meta.beneficiaryId;
    const gap = beneficiaryId && meta.alarmCapable ? this.deps.gaps.evaluate(beneficiaryId, this.stateOf, transition.at) : null;
    this.pending.push({
      record: {
        deviceId: meta.id,
        from: transition.from,
        to: transition.to,
        at: transition.at,
        state,
        gap: beneficiaryId && gap ? { beneficiaryId, change: gap === 'opened' ? 'opened' : 'closed' } : null,
      },
      beneficiaryId,
      effects,
      gapDurationMs: gap && gap !== 'opened' ? gap.closed : null,
    });
    if (this.pending.length === 1) this.deps.writes.enqueue('liveness', () => this.writePending());
  }

  /** Writes every transition decided so far, then announces them (the record comes first). */
  private async writePending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    await this.deps.liveness.writeTransitions(batch.map((p) => p.record));
    const { events } = this.deps;
    for (const { record: r, beneficiaryId, effects, gapDurationMs } of batch) {
      events.emit('device.state.changed', { deviceId: r.deviceId, beneficiaryId, from: r.from, to: r.to, at: r.at });
      for (const e of effects) {
        // P3: Alerts turns this into the operator's check on the beneficiary (device_offline policy).
        if (e.type === 'silent') events.emit('device.silent', { deviceId: r.deviceId, beneficiaryId, at: e.at, lastSeenAt: e.lastSeenAt });
        if (e.type === 'recovered')
          events.emit('device.recovered', { deviceId: r.deviceId, beneficiaryId, at: e.at, silentForMs: e.silentForMs });
      }
      if (r.gap?.change === 'opened') events.emit('protection.gap.opened', { beneficiaryId: r.gap.beneficiaryId, at: r.at });
      if (r.gap?.change === 'closed') {
        events.emit('protection.gap.closed', { beneficiaryId: r.gap.beneficiaryId, at: r.at, durationMs: gapDurationMs ?? 0 });
      }
    }
  }
}
