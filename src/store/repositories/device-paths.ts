import type { Kysely, Transaction } from 'kysely';
import { type DevicePath, PATHS, type PathState } from '../../domain/device-paths.ts';
import { newId } from '../ids.ts';
import { checkedOneOf } from '../row-check.ts';
import type { Database } from '../schema.ts';
import type { DevicePathTable } from '../schema-plans.ts';

export interface DevicePaths {
  deviceId: string;
  declaredAt: number;
  paths: PathState[];
}

const toPath = (r: DevicePathTable): PathState => ({
  path: checkedOneOf('device_paths', `${r.device_id}/${r.path}`, 'path', PATHS, r.path),
  windowS: r.window_s,
  lastHeardAt: r.last_heard_at,
  lost: r.lost === 1,
});

/**
 * The bearers of dual-path devices (issue 18), each with its supervision window and when it
 * was last heard. Transitions are conditional updates, so two nodes never both report one; each
 * also closes the path's open interval and opens the next in `device_path_intervals`, in the
 * same transaction (the history the path-availability report reads).
 */
export class DevicePathRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Declares a device's paths (replacing any earlier declaration); an empty list removes them. */
  async declare(deviceId: string, paths: { path: DevicePath; windowS: number }[], now: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await closeOpen(tx, deviceId, null, now);
      await tx.deleteFrom('device_paths').where('device_id', '=', deviceId).execute();
      for (const p of paths) {
        await tx
          .insertInto('device_paths')
          .values({ device_id: deviceId, path: p.path, window_s: p.windowS, last_heard_at: null, lost: 0, declared_at: now })
          .execute();
        // A declared path counts as up until its window passes unheard (src/domain/device-paths.ts).
        await openInterval(tx, deviceId, p.path, 'up', now);
      }
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
    return this.db.transaction().execute(async (tx) => {
      const back = await tx
        .updateTable('device_paths')
        .set({ lost: 0, last_heard_at: at })
        .where('device_id', '=', deviceId)
        .where('path', '=', path)
        .where('lost', '=', 1)
        .executeTakeFirst();
      if (Number(back.numUpdatedRows) === 1) {
        await closeOpen(tx, deviceId, path, at);
        await openInterval(tx, deviceId, path, 'up', at);
        return true;
      }
      await tx.updateTable('device_paths').set({ last_heard_at: at }).where('device_id', '=', deviceId).where('path', '=', path).execute();
      return false;
    });
  }

  /** Marks a path lost at `at` if it still is up; true for the one caller that made the change. */
  async markLost(deviceId: string, path: DevicePath, at: number): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const res = await tx
        .updateTable('device_paths')
        .set({ lost: 1 })
        .where('device_id', '=', deviceId)
        .where('path', '=', path)
        .where('lost', '=', 0)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return false;
      await closeOpen(tx, deviceId, path, at);
      await openInterval(tx, deviceId, path, 'down', at);
      return true;
    });
  }

  /**
   * At start: a declared path without an open interval (declared before the history was kept)
   * gets one from `now`, in the state it is in. An interval a crash left open is kept: the
   * centre's outage is left out of every figure, as for liveness (src/health/report-service.ts).
   */
  async openMissingIntervals(now: number): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      const bare = await tx
        .selectFrom('device_paths as p')
        .select(['p.device_id', 'p.path', 'p.lost'])
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('device_path_intervals as i')
                .select('i.id')
                .whereRef('i.device_id', '=', 'p.device_id')
                .whereRef('i.path', '=', 'p.path')
                .where('i.ended_at', 'is', null),
            ),
          ),
        )
        .execute();
      // Two nodes starting together may both find a path bare: the second one's insert is dropped.
      for (const p of bare) await openInterval(tx, p.device_id, p.path, p.lost === 1 ? 'down' : 'up', now, { ifNoneOpen: true });
      return bare.length;
    });
  }
}

/** Closes the open interval of one path (or of every path when `path` is null), never before it began. */
async function closeOpen(tx: Transaction<Database>, deviceId: string, path: string | null, at: number): Promise<void> {
  let open = tx
    .selectFrom('device_path_intervals')
    .select(['id', 'started_at'])
    .where('device_id', '=', deviceId)
    .where('ended_at', 'is', null);
  if (path !== null) open = open.where('path', '=', path);
  for (const i of await open.execute())
    await tx
      .updateTable('device_path_intervals')
      .set({ ended_at: Math.max(at, i.started_at) })
      .where('id', '=', i.id)
      .execute();
}

async function openInterval(
  tx: Transaction<Database>,
  deviceId: string,
  path: string,
  state: 'up' | 'down',
  at: number,
  options: { ifNoneOpen?: boolean } = {},
): Promise<void> {
  const insert = tx
    .insertInto('device_path_intervals')
    .values({ id: newId('pth'), device_id: deviceId, path, state, started_at: at, ended_at: null });
  // The unique index device_path_intervals_one_open (migration 019) keeps one open interval per path.
  await (options.ifNoneOpen ? insert.onConflict((oc) => oc.doNothing()) : insert).execute();
}
