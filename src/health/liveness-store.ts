import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Liveness, LivenessState } from '../domain/liveness.ts';
import type { Store } from '../store/index.ts';
import { newId } from '../store/index.ts';
import { sqliteBatch } from './sqlite-batch.ts';

/** Rows of `health_liveness` and `health_intervals`: the truth supervision rebuilds from. */
export class LivenessStore {
  constructor(private readonly store: Store) {}

  async loadAll(): Promise<Map<string, Liveness>> {
    const rows = await this.store.db.selectFrom('health_liveness').selectAll().execute();
    return new Map(
      rows.map((r) => [
        r.device_id,
        { state: r.state as LivenessState, since: r.since, lastSeenAt: r.last_seen_at, windowFrom: r.window_from, deadline: null },
      ]),
    );
  }

  /** Devices supervised for the first time, in one batch (a first start may bring the whole fleet). */
  async recordNeverSeen(deviceIds: string[], at: number): Promise<void> {
    for (let i = 0; i < deviceIds.length; i += 500) {
      const chunk = deviceIds.slice(i, i + 500);
      await this.store.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('health_intervals')
          .values(chunk.map((id) => ({ id: newId('liv'), device_id: id, state: 'never_seen', started_at: at, ended_at: null })))
          .execute();
        await trx
          .insertInto('health_liveness')
          .values(
            chunk.map((id) => ({ device_id: id, state: 'never_seen', since: at, last_seen_at: null, window_from: null, updated_at: at })),
          )
          .onConflict((oc) => oc.column('device_id').doNothing())
          .execute();
      });
      await yieldToEventLoop();
    }
  }

  /** Last-heard times change with every heartbeat: written in batches, not one by one. */
  async saveLastSeen(batch: { deviceId: string; state: Liveness; now: number }[]): Promise<void> {
    const fast = sqliteBatch(this.store.sqlite);
    for (let i = 0; i < batch.length; i += 200) {
      if (fast) {
        fast.lastSeenTimes(
          batch
            .slice(i, i + 200)
            .map((b) => ({ deviceId: b.deviceId, lastSeenAt: b.state.lastSeenAt, windowFrom: b.state.windowFrom, now: b.now })),
        );
        await yieldToEventLoop();
        continue;
      }
      await this.store.db.transaction().execute(async (trx) => {
        for (const { deviceId, state, now } of batch.slice(i, i + 200)) {
          await trx
            .updateTable('health_liveness')
            .set({ last_seen_at: state.lastSeenAt, window_from: state.windowFrom, updated_at: now })
            .where('device_id', '=', deviceId)
            .execute();
        }
      });
      await yieldToEventLoop();
    }
  }
}
