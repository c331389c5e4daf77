import type { Kysely } from 'kysely';
import { z } from 'zod';
import { INCIDENT_KINDS, type Incident, type IncidentFilter, type IncidentKind } from '../../domain/health.ts';
import { newId } from '../ids.ts';
import type { BadRows } from '../row-check.ts';
import { toIso } from '../rows.ts';
import type { Database } from '../schema.ts';

const row = z
  .object({
    id: z.string(),
    device_id: z.string(),
    kind: z.enum(INCIDENT_KINDS),
    opened_at: z.number(),
    closed_at: z.number().nullable(),
    duration_ms: z.number().nullable(),
    closed_reason: z.string().nullable(),
  })
  .transform(
    (r): Incident => ({
      id: r.id,
      deviceId: r.device_id,
      kind: r.kind,
      openedAt: toIso(r.opened_at) as string,
      closedAt: toIso(r.closed_at),
      durationMs: r.duration_ms,
      closedReason: r.closed_reason,
    }),
  );

/**
 * Technician incidents (P3: a device that misses its window opens one; supervision writes those
 * with its transitions, src/store/repositories/health-liveness.ts) and tasks (a test alarm
 * overdue). At most one open per device and kind; closing records the duration.
 */
export class IncidentRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly badRows: BadRows,
  ) {}

  async open(deviceId: string, kind: IncidentKind, at: number): Promise<void> {
    const existing = await this.openOne(deviceId, kind);
    if (existing) return;
    await this.db
      .insertInto('health_incidents')
      .values({ id: newId('inc'), device_id: deviceId, kind, opened_at: at, closed_at: null, duration_ms: null, closed_reason: null })
      .execute();
  }

  async close(deviceId: string, kind: IncidentKind, at: number, reason: string): Promise<void> {
    const open = await this.openOne(deviceId, kind);
    if (!open) return;
    await this.db
      .updateTable('health_incidents')
      .set({ closed_at: at, duration_ms: Math.max(0, at - open.opened_at), closed_reason: reason })
      .where('id', '=', open.id)
      .execute();
  }

  private openOne(deviceId: string, kind: IncidentKind) {
    return this.db
      .selectFrom('health_incidents')
      .select(['id', 'opened_at'])
      .where('device_id', '=', deviceId)
      .where('kind', '=', kind)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
  }

  /** Newest first; a row of an unknown kind is reported and left out. */
  async list(filter: IncidentFilter = {}): Promise<Incident[]> {
    let q = this.db
      .selectFrom('health_incidents')
      .selectAll()
      .orderBy('opened_at', 'desc')
      .limit(filter.limit ?? 500);
    if (filter.open === true) q = q.where('closed_at', 'is', null);
    if (filter.open === false) q = q.where('closed_at', 'is not', null);
    if (filter.kind) q = q.where('kind', '=', filter.kind);
    if (filter.deviceId) q = q.where('device_id', '=', filter.deviceId);
    return this.badRows.decodeAll('health_incidents', await q.execute(), (r) => r.id, row);
  }
}
