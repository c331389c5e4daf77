import {
  initialLiveness,
  type Liveness,
  type LivenessEffect,
  type LivenessInput,
  type LivenessState,
  stepLiveness,
} from '../domain/liveness.ts';
import type { EventBus } from '../events/index.ts';
import type { Logger } from '../platform/index.ts';
import { DeadlineHeap } from './deadline-heap.ts';
import type { DeviceDirectory, DeviceMeta } from './device-directory.ts';
import type { Incidents } from './incidents.ts';
import type { LivenessStore } from './liveness-store.ts';
import type { ProtectionGaps } from './protection-gaps.ts';
import type { WriteQueue } from './write-queue.ts';

export interface SupervisorDeps {
  directory: DeviceDirectory;
  livenessStore: LivenessStore;
  incidents: Incidents;
  gaps: ProtectionGaps;
  events: EventBus;
  writes: WriteQueue;
  logger: Logger;
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

  constructor(private readonly deps: SupervisorDeps) {}

  stateOf = (deviceId: string): LivenessState | undefined => this.states.get(deviceId)?.state;
  liveness(deviceId: string): Liveness | undefined {
    return this.states.get(deviceId);
  }
  get deadlines(): number {
    return this.heap.size;
  }
  get supervised(): number {
    return this.states.size;
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
    if (fresh.length > 0) this.deps.writes.enqueue('liveness', () => this.deps.livenessStore.recordNeverSeen(fresh, now));
    for (const meta of this.deps.directory.all()) {
      if (stored.has(meta.id)) this.apply(meta, { type: 'restarted' }, now);
      if (meta.retiredAt !== null && meta.retiredAt <= now) this.apply(meta, { type: 'retired' }, now);
    }
  }

  /** Starts supervising a device not seen before (registered since the start, say). */
  track(meta: DeviceMeta, now: number): void {
    if (this.states.has(meta.id)) return;
    const initial = initialLiveness(now);
    this.states.set(meta.id, initial);
    this.deps.writes.enqueue('liveness', () => this.deps.livenessStore.recordTransition(meta.id, 'never_seen', now, initial));
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
  takeDirty(now: number): { deviceId: string; state: Liveness; now: number }[] {
    const out = [];
    for (const id of this.lastSeenDirty) {
      const state = this.states.get(id);
      if (state) out.push({ deviceId: id, state, now });
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
    const { events, incidents, livenessStore, gaps } = this.deps;
    const transition = effects.find((e) => e.type === 'transition');
    if (!transition || transition.type !== 'transition') return;
    const gap = meta.beneficiaryId && meta.alarmCapable ? gaps.evaluate(meta.beneficiaryId, this.stateOf, transition.at) : null;
    const beneficiaryId = meta.beneficiaryId;
    this.deps.writes.enqueue('liveness', async () => {
      await livenessStore.recordTransition(meta.id, transition.to, transition.at, state);
      if (transition.to === 'offline') await incidents.open(meta.id, 'offline', transition.at);
      if (transition.from === 'offline')
        await incidents.close(meta.id, 'offline', transition.at, transition.to === 'online' ? 'recovered' : transition.to);
      if (beneficiaryId && gap === 'opened') await gaps.recordOpened(beneficiaryId, transition.at);
      if (beneficiaryId && gap && gap !== 'opened') await gaps.recordClosed(beneficiaryId, transition.at);
      events.emit('device.state.changed', {
        deviceId: meta.id,
        beneficiaryId,
        from: transition.from,
        to: transition.to,
        at: transition.at,
      });
      for (const e of effects) {
        // P3: Alerts turns this into the operator's check on the beneficiary (device_offline policy).
        if (e.type === 'silent') events.emit('device.silent', { deviceId: meta.id, beneficiaryId, at: e.at, lastSeenAt: e.lastSeenAt });
        if (e.type === 'recovered')
          events.emit('device.recovered', { deviceId: meta.id, beneficiaryId, at: e.at, silentForMs: e.silentForMs });
      }
      if (beneficiaryId && gap === 'opened') events.emit('protection.gap.opened', { beneficiaryId, at: transition.at });
      if (beneficiaryId && gap && gap !== 'opened') {
        events.emit('protection.gap.closed', { beneficiaryId, at: transition.at, durationMs: gap.closed });
      }
    });
  }
}
