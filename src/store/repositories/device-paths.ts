import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type DevicePath, PATHS, type PathState } from '../../domain/device-paths.ts';
import { checked } from '../row-check.ts';
import type { Database } from '../schema.ts';
import type { DevicePathTable } from '../schema-plans.ts';

export interface DevicePaths {
  deviceId: string;
  declaredAt: number;
  paths: PathState[];
}

const toPath = (r: DevicePathTable): PathState => ({
  path: checked('device_paths', `${r.device_id}/${r.path}`, 'path', z.enum(PATHS), r.path),
  windowS: r.window_s,
  lastHeardAt: r.last_heard_at,
  lost: r.lost === 1,
});

/**
 * The bearers of dual-path devices (issue 18), each with its supervision window and when it
 * was last heard. Transitions are conditional updates, so two nodes never both report one.
 */
export class DevicePathRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Declares a device's paths (replacing any earlier declaration); an empty list removes them. */
  async declare(deviceId: string, paths: { path: DevicePath; windowS: number }[], now: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('device_paths').where('device_id', '=', deviceId).execute();
      for (const p of paths)
        await tx
          .insertInto('device_paths')
          .values({ device_id: deviceId, path: p.path, window_s: p.windowS, last_heard_at: null, lost: 0, declared_at: now })
          .execute();
    });
  }

  async of(deviceId: string): Promise<DevicePaths | undefined> {
    const rows = await this.db.selectFrom('device_paths').selectAll().where('device_id', '=', deviceId).orderBy('path').execute();
    const first = rows[0];
    return first && { deviceId, declaredAt: first.declared_at, paths: rows.map(toPath) };
  }

  /** Every device with declared paths. */
  async all(): Promise<DevicePaths[]> {
    const rows = await this.db.selectFrom('device_paths').selectAll().orderBy('device_id').orderBy('path').execute();
    const byDevice = new Map<string, DevicePaths>();
    for (const r of rows) {
      const d = byDevice.get(r.device_id) ?? { deviceId: r.device_id, declaredAt: r.declared_at, paths: [] };
      d.paths.push(toPath(r));
      byDevice.set(r.device_id, d);
    }
    return [...byDevice.values()];
  }

  /** A heartbeat came over a declared path; true if that path had been lost (it is back). */
  async heard(deviceId: string, path: DevicePath, at: number): Promise<boolean> {
    const back = await this.db
      .updateTable('device_paths')
      .set({ lost: 0, last_heard_at: at })
      .where('device_id', '=', deviceId)
      .where('path', '=', path)
      .where('lost', '=', 1)
      .executeTakeFirst();
    if (Number(back.numUpdatedRows) === 1) return true;
    await this.db
      .updateTable('device_paths')
      .set({ last_heard_at: at })
      .where('device_id', '=', deviceId)
      .where('path', '=', path)
      .execute();
    return false;
  }

  /** Marks a path lost if it still is up; true for the one caller that made the change. */
  async markLost(deviceId: string, path: DevicePath): Promise<boolean> {
    const res = await this.db
      .updateTable('device_paths')
      .set({ lost: 1 })
      .where('device_id', '=', deviceId)
      .where('path', '=', path)
      .where('lost', '=', 0)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
}
