import type { Kysely } from 'kysely';
import { z } from 'zod';
import { DEVICE_OFFLINE_TASK } from '../../domain/alarm.ts';
import { LIVENESS_STATES } from '../../domain/liveness.ts';
import { DAY_MS } from '../../domain/reports-spans.ts';
import type { DeviceHistory, GroupBy } from '../../domain/reports-types.ts';
import { newId } from '../ids.ts';
import type { BadRows } from '../row-check.ts';
import type { Database } from '../schema.ts';
import { devicesInService, maintenanceWindows, reportDevice } from './report-devices.ts';

const intervalRow = z.object({
  id: z.string(),
  device_id: z.string(),
  state: z.enum(LIVENESS_STATES),
  started_at: z.number(),
  ended_at: z.number().nullable(),
});

/**
 * What reliability and cost reports read: a period's history, a chunk of devices at a time
 * (better-sqlite3 is synchronous, so one huge read would stall the alarm path, P1), and the
 * snapshots the nightly jobs keep.
 */
export class HealthReportRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly badRows: BadRows,
  ) {}

  /**
   * The histories of up to `limit` devices in service during [from, to) whose id sorts after
   * `after`, in id order. Heartbeats are summed per month in SQL: a year of daily rows for the
   * fleet never crosses into JavaScript.
   */
  async deviceHistories(
    after: string,
    period: { from: number; to: number; asOf: number; months: { from: number; to: number }[] },
    limit: number,
    /** Only this person's devices (the supervisor's case view). */
    beneficiaryId?: string,
  ): Promise<DeviceHistory[]> {
    const { from, to } = period;
    let query = devicesInService(this.db, after, period)
      .leftJoin('beneficiaries as b', 'b.id', 'd.beneficiary_id')
      .select('b.municipality');
    if (beneficiaryId !== undefined) query = query.where('d.beneficiary_id', '=', beneficiaryId);
    const devices = await query.orderBy('d.id').limit(limit).execute();
    if (devices.length === 0) return [];
    const ids = devices.map((d) => d.id);
    const histories = new Map<string, DeviceHistory>(
      devices.map((d) => [
        d.id,
        {
          device: { ...reportDevice(d), municipality: d.municipality ?? null },
          intervals: [],
          maintenance: [],
          heartbeatDays: [],
          alarms: [],
        },
      ]),
    );
    const intervals = await this.db
      .selectFrom('health_intervals')
      .select(['id', 'device_id', 'state', 'started_at', 'ended_at'])
      .where('device_id', 'in', ids)
      .where('started_at', '<', to)
      .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', from)]))
      .execute();
    for (const i of this.badRows.decodeAll('health_intervals', intervals, (r) => r.id, intervalRow))
      histories.get(i.device_id)?.intervals.push({ state: i.state, start: i.started_at, end: i.ended_at });
    for (const w of await maintenanceWindows(this.db, ids, period)) histories.get(w.deviceId)?.maintenance.push(w.span);
    // Heartbeats are counted per UTC day; a slice edge inside a day (a month of the centre starts
    // at 06:00 UTC in Mexico City) shares that day's count pro rata, so no day is lost at the edges.
    for (const m of period.months) {
      const firstWhole = Math.ceil(m.from / DAY_MS) * DAY_MS;
      const lastWhole = Math.floor(m.to / DAY_MS) * DAY_MS;
      const add = (deviceId: string, received: number) => {
        const list = histories.get(deviceId)?.heartbeatDays;
        const entry = list?.find((e) => e.day === m.from);
        if (entry) entry.received += received;
        else list?.push({ day: m.from, received });
      };
      if (lastWhole > firstWhole) {
        const sums = await this.db
          .selectFrom('health_heartbeat_days')
          .select(['device_id', (eb) => eb.fn.sum<number>('received').as('received')])
          .where('device_id', 'in', ids)
          .where('day', '>=', firstWhole)
          .where('day', '<', lastWhole)
          .groupBy('device_id')
          .execute();
        for (const s of sums) add(s.device_id, Number(s.received));
      }
      // The share of a day's count that falls in the slice, over the part of the day recorded so
      // far: today's row holds only the beats until now, so it is not diluted over 24 h.
      const share = (day: number) => {
        const recordedEnd = Math.min(day + DAY_MS, period.asOf);
        const overlap = Math.min(m.to, recordedEnd) - Math.max(m.from, day);
        return recordedEnd > day && overlap > 0 ? overlap / (recordedEnd - day) : 0;
      };
      const edges = [
        ...(firstWhole > m.from ? [firstWhole - DAY_MS] : []),
        ...(lastWhole < m.to && lastWhole >= firstWhole ? [lastWhole] : []),
      ].map((day) => ({ day, share: share(day) }));
      for (const edge of edges) {
        const rows = await this.db
          .selectFrom('health_heartbeat_days')
          .select(['device_id', 'received'])
          .where('device_id', 'in', ids)
          .where('day', '=', edge.day)
          .execute();
        for (const r of rows) add(r.device_id, Number(r.received) * edge.share);
      }
    }
    const alarms = await this.db
      .selectFrom('alarms')
      .select(['device_id', 'kind', 'test', 'outcome', 'received_at', 'acknowledged_at', 'dispatched_at', 'on_scene_at'])
      .where('device_id', 'in', ids)
      .where('received_at', '>=', from)
      .where('received_at', '<', to)
      // Check-on-the-person tasks after silence are not presses: they would skew every alarm figure.
      .where('kind', '<>', DEVICE_OFFLINE_TASK)
      .execute();
    for (const a of alarms) {
      histories.get(a.device_id)?.alarms.push({
        kind: a.kind,
        test: a.test === 1,
        outcome: a.outcome,
        receivedAt: a.received_at,
        acknowledgedAt: a.acknowledged_at,
        dispatchedAt: a.dispatched_at,
        onSceneAt: a.on_scene_at,
      });
    }
    return [...histories.values()];
  }

  /** Signal readings (dBm) of these devices in [from, to), for the suitability report's median signal. */
  async rssiReadings(ids: readonly string[], from: number, to: number): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>();
    if (ids.length === 0) return out;
    const rows = await this.db
      .selectFrom('health_samples')
      .select(['device_id', 'rssi'])
      .where('device_id', 'in', [...ids])
      .where('at', '>=', from)
      .where('at', '<', to)
      .where('rssi', 'is not', null)
      .execute();
    for (const r of rows) {
      if (r.rssi === null) continue;
      const list = out.get(r.device_id) ?? [];
      list.push(r.rssi);
      out.set(r.device_id, list);
    }
    return out;
  }

  /** When each device last raised a test alarm (a test press or any alarm while on test). */
  async lastTestAlarms(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('alarms')
      .select(['device_id', (eb) => eb.fn.max<number>('received_at').as('last')])
      .where((eb) => eb.or([eb('test', '=', 1), eb('kind', '=', 'test')]))
      .groupBy('device_id')
      .execute();
    return new Map(rows.map((r) => [r.device_id, Number(r.last)]));
  }

  async saveSnapshot(s: { report: string; from: number; to: number; groupBy: GroupBy; at: number; body: unknown }): Promise<void> {
    await this.db
      .insertInto('health_report_snapshots')
      .values({
        id: newId('snap'),
        report: s.report,
        period_from: s.from,
        period_to: s.to,
        group_by: s.groupBy,
        created_at: s.at,
        body: JSON.stringify(s.body),
      })
      .execute();
  }
}
