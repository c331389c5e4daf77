import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { MaintenanceWindow } from '../../domain/health.ts';
import type { Actor } from '../actor.ts';
import { newId } from '../ids.ts';
import type { BadRows } from '../row-check.ts';
import type { Database } from '../schema.ts';
import type { AuditLog } from './audit.ts';

const row = z
  .object({ id: z.string(), device_id: z.string(), starts_at: z.number(), ends_at: z.number(), reason: z.string().nullable() })
  .refine((r) => r.ends_at > r.starts_at, { message: 'ends before it starts', path: ['ends_at'] })
  .transform((r): MaintenanceWindow => ({ id: r.id, deviceId: r.device_id, startsAt: r.starts_at, endsAt: r.ends_at, reason: r.reason }));

/** Planned maintenance windows: not in service, no deadlines run. */
export class MaintenanceRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly badRows: BadRows,
    private readonly audit?: AuditLog,
  ) {}

  /** Records a window; issue 15: in the same transaction as its audit entry (taking a device out of protection). */
  async create(
    actor: Actor,
    w: { deviceId: string; startsAt: number; endsAt: number; reason: string | null },
    now: number,
  ): Promise<MaintenanceWindow> {
    const id = newId('mnt');
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('health_maintenance')
        .values({
          id,
          device_id: w.deviceId,
          starts_at: w.startsAt,
          ends_at: w.endsAt,
          reason: w.reason,
          created_by: actor.id,
          created_at: now,
        })
        .execute();
      await this.audit?.append(trx, actor, {
        action: 'plan_maintenance',
        recordType: 'device',
        recordId: w.deviceId,
        detail: { windowId: id, startsAt: w.startsAt, endsAt: w.endsAt },
      });
    });
    return { id, ...w };
  }

  /** A device's windows still to start or to end, earliest first. */
  async pendingFor(deviceId: string, now: number): Promise<MaintenanceWindow[]> {
    const rows = await this.db
      .selectFrom('health_maintenance')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('ends_at', '>', now)
      .orderBy('starts_at')
      .execute();
    return this.badRows.decodeAll('health_maintenance', rows, (r) => r.id, row);
  }

  /** Windows still to start or to end. */
  async pending(now: number): Promise<MaintenanceWindow[]> {
    const rows = await this.db.selectFrom('health_maintenance').selectAll().where('ends_at', '>', now).execute();
    return this.badRows.decodeAll('health_maintenance', rows, (r) => r.id, row);
  }
}
