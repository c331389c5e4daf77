import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Liveness, LivenessState } from '../domain/liveness.ts';
import type { Store } from '../store/index.ts';
import { newId } from '../store/index.ts';
import { sqliteBatch } from './sqlite-batch.ts';

/** One liveness transition and what it implies, to be written together. */
export interface TransitionRecord {
  deviceId: string;
  from: LivenessState;
  to: LivenessState;
  at: number;
  state: Liveness;
  /** The beneficiary's protection gap opened or closed by this transition. */
  gap: { beneficiaryId: string; change: 'opened' | 'closed' } | null;
}

const CHUNK = 200;

/**
 * Writes transitions in batches: one transaction per chunk instead of one per device, and a
 * yield between chunks, so a thousand devices changing state at once (a cell tower back up, the
 * first start of a fleet) neither floods the disk with commits nor holds the event loop (P1: the
 * alarm path shares it).
 */
export async function writeTransitions(store: Store, records: TransitionRecord[]): Promise<void> {
  const fast = sqliteBatch(store.sqlite);
  for (let i = 0; i < records.length; i += CHUNK) {
    const chunk = records.slice(i, i + CHUNK);
    if (fast) {
      fast.transitions(chunk);
      if (i + CHUNK < records.length) await yieldToEventLoop();
      continue;
    }
    await store.db.transaction().execute(async (trx) => {
      for (const r of chunk) {
        await trx
          .updateTable('health_intervals')
          .set({ ended_at: r.at })
          .where('device_id', '=', r.deviceId)
          .where('ended_at', 'is', null)
          .execute();
        await trx
          .insertInto('health_intervals')
          .values({ id: newId('liv'), device_id: r.deviceId, state: r.to, started_at: r.at, ended_at: null })
          .execute();
        const row = {
          state: r.to,
          since: r.state.since,
          last_seen_at: r.state.lastSeenAt,
          window_from: r.state.windowFrom,
          updated_at: r.at,
        };
        await trx
          .insertInto('health_liveness')
          .values({ device_id: r.deviceId, ...row })
          .onConflict((oc) => oc.column('device_id').doUpdateSet(row))
          .execute();
        // P3: a device that misses its window opens a technician incident; recovery closes it.
        if (r.to === 'offline') {
          await trx
            .insertInto('health_incidents')
            .values({
              id: newId('inc'),
              device_id: r.deviceId,
              kind: 'offline',
              opened_at: r.at,
              closed_at: null,
              duration_ms: null,
              closed_reason: null,
            })
            .onConflict((oc) => oc.doNothing())
            .execute();
        }
        if (r.from === 'offline') {
          const open = await trx
            .selectFrom('health_incidents')
            .select(['id', 'opened_at'])
            .where('device_id', '=', r.deviceId)
            .where('kind', '=', 'offline')
            .where('closed_at', 'is', null)
            .executeTakeFirst();
          if (open) {
            await trx
              .updateTable('health_incidents')
              .set({ closed_at: r.at, duration_ms: r.at - open.opened_at, closed_reason: r.to === 'online' ? 'recovered' : r.to })
              .where('id', '=', open.id)
              .execute();
          }
        }
        if (r.gap?.change === 'opened') {
          await trx
            .insertInto('health_protection_gaps')
            .values({ id: newId('gap'), beneficiary_id: r.gap.beneficiaryId, opened_at: r.at, closed_at: null })
            .execute();
        } else if (r.gap?.change === 'closed') {
          await trx
            .updateTable('health_protection_gaps')
            .set({ closed_at: r.at })
            .where('beneficiary_id', '=', r.gap.beneficiaryId)
            .where('closed_at', 'is', null)
            .execute();
        }
      }
    });
    if (i + CHUNK < records.length) await yieldToEventLoop();
  }
}
