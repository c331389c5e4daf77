import type { Actor, Store } from '../store/index.ts';
import { newId } from '../store/index.ts';

export interface MaintenanceWindow {
  id: string;
  deviceId: string;
  startsAt: number;
  endsAt: number;
  reason: string | null;
}

/** Planned maintenance: not in service (docs/architecture.md "Report definitions"), no deadlines run. */
export class MaintenanceWindows {
  constructor(private readonly store: Store) {}

  async create(
    actor: Actor,
    deviceId: string,
    startsAt: number,
    endsAt: number,
    reason: string | null,
    now: number,
  ): Promise<MaintenanceWindow> {
    const id = newId('mnt');
    await this.store.db
      .insertInto('health_maintenance')
      .values({ id, device_id: deviceId, starts_at: startsAt, ends_at: endsAt, reason, created_by: actor.id, created_at: now })
      .execute();
    return { id, deviceId, startsAt, endsAt, reason };
  }

  /** Windows still to start or to end. */
  async pending(now: number): Promise<MaintenanceWindow[]> {
    const rows = await this.store.db.selectFrom('health_maintenance').selectAll().where('ends_at', '>', now).execute();
    return rows.map((r) => ({ id: r.id, deviceId: r.device_id, startsAt: r.starts_at, endsAt: r.ends_at, reason: r.reason }));
  }
}
