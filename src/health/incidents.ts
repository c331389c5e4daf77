import type { Store } from '../store/index.ts';
import { newId } from '../store/index.ts';

export const INCIDENT_KINDS = ['offline', 'test_overdue'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export interface Incident {
  id: string;
  deviceId: string;
  kind: IncidentKind;
  openedAt: string;
  closedAt: string | null;
  durationMs: number | null;
  closedReason: string | null;
}

export interface IncidentFilter {
  open?: boolean | undefined;
  kind?: IncidentKind | undefined;
  deviceId?: string | undefined;
  limit?: number | undefined;
}

/**
 * Technician incidents (P3: a device that misses its window opens one) and tasks (a test alarm
 * overdue). At most one open per device and kind; closing records the duration.
 */
export class Incidents {
  constructor(private readonly store: Store) {}

  async open(deviceId: string, kind: IncidentKind, at: number): Promise<void> {
    const existing = await this.store.db
      .selectFrom('health_incidents')
      .select('id')
      .where('device_id', '=', deviceId)
      .where('kind', '=', kind)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    if (existing) return;
    await this.store.db
      .insertInto('health_incidents')
      .values({ id: newId('inc'), device_id: deviceId, kind, opened_at: at, closed_at: null, duration_ms: null, closed_reason: null })
      .execute();
  }

  async close(deviceId: string, kind: IncidentKind, at: number, reason: string): Promise<void> {
    const open = await this.store.db
      .selectFrom('health_incidents')
      .select(['id', 'opened_at'])
      .where('device_id', '=', deviceId)
      .where('kind', '=', kind)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    if (!open) return;
    await this.store.db
      .updateTable('health_incidents')
      .set({ closed_at: at, duration_ms: Math.max(0, at - open.opened_at), closed_reason: reason })
      .where('id', '=', open.id)
      .execute();
  }

  async list(filter: IncidentFilter = {}): Promise<Incident[]> {
    let q = this.store.db
      .selectFrom('health_incidents')
      .selectAll()
      .orderBy('opened_at', 'desc')
      .limit(filter.limit ?? 500);
    if (filter.open === true) q = q.where('closed_at', 'is', null);
    if (filter.open === false) q = q.where('closed_at', 'is not', null);
    if (filter.kind) q = q.where('kind', '=', filter.kind);
    if (filter.deviceId) q = q.where('device_id', '=', filter.deviceId);
    return (await q.execute()).map((r) => ({
      id: r.id,
      deviceId: r.device_id,
      kind: r.kind as IncidentKind,
      openedAt: new Date(r.opened_at).toISOString(),
      closedAt: r.closed_at === null ? null : new Date(r.closed_at).toISOString(),
      durationMs: r.duration_ms,
      closedReason: r.closed_reason,
    }));
  }

  async openDeviceIds(kind: IncidentKind): Promise<Set<string>> {
    const rows = await this.store.db
      .selectFrom('health_incidents')
      .select('device_id')
      .where('kind', '=', kind)
      .where('closed_at', 'is', null)
      .execute();
    return new Set(rows.map((r) => r.device_id));
  }
}
