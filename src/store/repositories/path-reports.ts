import type { Kysely } from 'kysely';
import { z } from 'zod';
import { PATHS } from '../../domain/device-paths.ts';
import { PATH_STATES, type PathHistory } from '../../domain/reports-paths.ts';
import type { BadRows } from '../row-check.ts';
import type { Database } from '../schema.ts';
import { devicesInService, maintenanceWindows, reportDevice } from './report-devices.ts';

const intervalRow = z.object({
  id: z.string(),
  device_id: z.string(),
  path: z.enum(PATHS),
  state: z.enum(PATH_STATES),
  started_at: z.number(),
  ended_at: z.number().nullable(),
});

/**
 * What the path-availability report reads (issue 18 §5): devices whose declared paths have a
 * history in the period, a chunk at a time (better-sqlite3 is synchronous: one huge read would
 * stall the alarm path, P1), with their maintenance windows and path intervals.
 */
export class PathReportRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly badRows: BadRows,
  ) {}

  /** Up to `limit` devices in service during [from, to) with a path history in it, id after `after`, in id order. */
  async pathHistories(after: string, period: { from: number; to: number }, limit: number): Promise<PathHistory[]> {
    const { from, to } = period;
    const devices = await devicesInService(this.db, after, period)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('device_path_intervals as i')
            .select('i.id')
            .whereRef('i.device_id', '=', 'd.id')
            .where('i.started_at', '<', to)
            .where((eb) => eb.or([eb('i.ended_at', 'is', null), eb('i.ended_at', '>', from)])),
        ),
      )
      .orderBy('d.id')
      .limit(limit)
      .execute();
    if (devices.length === 0) return [];
    const ids = devices.map((d) => d.id);
    const histories = new Map<string, PathHistory>(devices.map((d) => [d.id, { device: reportDevice(d), maintenance: [], intervals: [] }]));
    const intervals = await this.db
      .selectFrom('device_path_intervals')
      .select(['id', 'device_id', 'path', 'state', 'started_at', 'ended_at'])
      .where('device_id', 'in', ids)
      .where('started_at', '<', to)
      .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', from)]))
      .execute();
    for (const i of this.badRows.decodeAll('device_path_intervals', intervals, (r) => r.id, intervalRow))
      histories.get(i.device_id)?.intervals.push({ path: i.path, state: i.state, start: i.started_at, end: i.ended_at });
    for (const w of await maintenanceWindows(this.db, ids, period)) histories.get(w.deviceId)?.maintenance.push(w.span);
    return [...histories.values()];
  }
}
