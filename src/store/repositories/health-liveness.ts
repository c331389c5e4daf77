import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { incidentClosedReason, incidentOfState, type LastSeen, type TransitionRecord } from '../../domain/health.ts';
import { LIVENESS_STATES, type Liveness } from '../../domain/liveness.ts';
import { newId } from '../ids.ts';
import type { BadRows } from '../row-check.ts';
import type { Database } from '../schema.ts';
import { sqliteBatch } from './health-sqlite-batch.ts';

const stored = z
  .object({
    device_id: z.string(),
    state: z.enum(LIVENESS_STATES),
    since: z.number(),
    last_seen_at: z.number().nullable(),
    window_from: z.number().nullable(),
  })
  .transform((r) => ({
    deviceId: r.device_id,
    liveness: { state: r.state, since: r.since, lastSeenAt: r.last_seen_at, windowFrom: r.window_from, deadline: null } as Liveness,
  }));

const CHUNK = 200;

/**
 * `health_liveness` (each device's current state) and `health_intervals` (every state it was in):
 * the truth supervision rebuilds from at start. A transition also opens or closes the device's
 * offline incident and its beneficiary's protection gap, in the same transaction.
 */
export class LivenessRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly sqlite: SQLite.Database | undefined,
    private readonly badRows: BadRows,
  ) {}

  /** Every stored state; a row with an unknown state is reported and left out (that device starts afresh). */
  async loadAll(): Promise<Map<string, Liveness>> {
    const rows = await this.db.selectFrom('health_liveness').selectAll().execute();
    const decoded = this.badRows.decodeAll('health_liveness', rows, (r) => r.device_id, stored);
    return new Map(decoded.map((d) => [d.deviceId, d.liveness]));
  }

  /** Devices supervised for the first time, in one batch (a first start may bring the whole fleet). */
  async recordNeverSeen(deviceIds: string[], at: number): Promise<void> {
    for (let i = 0; i < deviceIds.length; i += 500) {
      const chunk = deviceIds.slice(i, i + 500);
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('health_intervals')
          .values(chunk.map((id) => ({ id: newId('liv'), device_id: id, state: 'never_seen', started_at: at, ended_at: null })))
          // A device heard while its lookup was in flight may have its first transition written
          // before this record: it already has its open interval, and keeps it.
          .onConflict((oc) => oc.doNothing())
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
  async saveLastSeen(batch: LastSeen[]): Promise<void> {
    const fast = sqliteBatch(this.sqlite);
    for (let i = 0; i < batch.length; i += 200) {
      const chunk = batch.slice(i, i + 200);
      if (fast) fast.lastSeenTimes(chunk);
      else
        await this.db.transaction().execute(async (trx) => {
          for (const b of chunk) {
            await trx
              .updateTable('health_liveness')
              .set({ last_seen_at: b.lastSeenAt, window_from: b.windowFrom, updated_at: b.now })
              .where('device_id', '=', b.deviceId)
              .execute();
          }
        });
      await yieldToEventLoop();
    }
  }

  /**
   * Writes transitions in batches: one transaction per chunk instead of one per device, and a
   * yield between chunks, so a thousand devices changing state at once (a cell tower back up, the
   * first start of a fleet) neither floods the disk with commits nor holds the event loop (P1: the
   * alarm path shares it).
   */
  async writeTransitions(records: TransitionRecord[]): Promise<void> {
    const fast = sqliteBatch(this.sqlite);
    for (let i = 0; i < records.length; i += CHUNK) {
      const chunk = records.slice(i, i + CHUNK);
      if (fast) {
        fast.transitions(chunk);
        if (i + CHUNK < records.length) await yieldToEventLoop();
        continue;
      }
      await this.db.transaction().execute(async (trx) => {
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
          // P3: a device that misses its window opens a technician incident; recovery closes it
          // (and likewise the gateway a device is heard through going down, issue 17).
          const opens = incidentOfState(r.to);
          const closes = incidentOfState(r.from);
          if (opens) {
            await trx
              .insertInto('health_incidents')
              .values({
                id: newId('inc'),
                device_id: r.deviceId,
                kind: opens,
                opened_at: r.at,
                closed_at: null,
                duration_ms: null,
                closed_reason: null,
              })
              .onConflict((oc) => oc.doNothing())
              .execute();
          }
          if (closes) {
            const open = await trx
              .selectFrom('health_incidents')
              .select(['id', 'opened_at'])
              .where('device_id', '=', r.deviceId)
              .where('kind', '=', closes)
              .where('closed_at', 'is', null)
              .executeTakeFirst();
            if (open) {
              await trx
                .updateTable('health_incidents')
                .set({ closed_at: r.at, duration_ms: r.at - open.opened_at, closed_reason: incidentClosedReason(r.to) })
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
}
