import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DeviceEventRecord, HeartbeatCount, LatestHeartbeat } from '../../domain/health.ts';
import type { HeartbeatSample } from '../../domain/heartbeat-sample.ts';
import { newId } from '../ids.ts';
import { type BadRows, flag, jsonText } from '../row-check.ts';
import type { Database } from '../schema.ts';
import { sqliteBatch } from './health-sqlite-batch.ts';

const sampleRow = z
  .object({
    at: z.number(),
    received_at: z.number(),
    battery: z.number(),
    charging: flag,
    network: z.string(),
    rssi: z.number().nullable(),
    bars: z.number().nullable(),
  })
  .transform((s) => ({
    at: s.at,
    receivedAt: s.received_at,
    battery: s.battery,
    charging: s.charging,
    network: s.network,
    rssi: s.rssi,
    bars: s.bars,
  }));

const eventRow = z
  .object({ id: z.string(), kind: z.string(), at: z.number(), detail: jsonText(z.record(z.string(), z.unknown())).nullable() })
  .transform((e): DeviceEventRecord => ({ kind: e.kind, at: e.at, detail: e.detail }));

/**
 * Health's summary of device telemetry: heartbeats counted per device and UTC day, a thinned
 * history of samples, and device events. Written in batches with a yield between them: the alarm
 * path shares this event loop (P1).
 */
export class HealthTelemetryRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly sqlite: SQLite.Database | undefined,
    private readonly badRows: BadRows,
  ) {}

  async addCounts(unordered: HeartbeatCount[]): Promise<void> {
    const fast = sqliteBatch(this.sqlite);
    // Every node adds its own counts to the same rows, and nodes stopping together flush at once:
    // written in one order (device, day), two nodes' upserts lock the rows in the same order and
    // cannot deadlock on PostgreSQL, which cost a whole node's counts (scale-out-external test).
    const counts = [...unordered].sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.day - b.day));
    for (let i = 0; i < counts.length; i += 200) {
      const chunk = counts.slice(i, i + 200);
      if (fast) fast.counts(chunk);
      else
        await this.db.transaction().execute(async (trx) => {
          for (const c of chunk) {
            await trx
              .insertInto('health_heartbeat_days')
              .values({ device_id: c.deviceId, day: c.day, received: c.received, clock_suspect: c.clockSuspect })
              .onConflict((oc) =>
                oc.columns(['device_id', 'day']).doUpdateSet((eb) => ({
                  received: eb('health_heartbeat_days.received', '+', c.received),
                  clock_suspect: eb('health_heartbeat_days.clock_suspect', '+', c.clockSuspect),
                })),
              )
              .execute();
          }
        });
      await yieldToEventLoop();
    }
  }

  async addSamples(samples: (LatestHeartbeat & { deviceId: string })[]): Promise<void> {
    const fast = sqliteBatch(this.sqlite);
    for (let i = 0; i < samples.length; i += 500) {
      const chunk = samples.slice(i, i + 500);
      if (fast) fast.samples(chunk);
      else
        await this.db
          .insertInto('health_samples')
          .values(
            chunk.map((s) => ({
              device_id: s.deviceId,
              at: s.at,
              received_at: s.receivedAt,
              battery: s.battery,
              charging: s.charging ? 1 : 0,
              network: s.network,
              rssi: s.rssi,
              bars: s.bars,
            })),
          )
          .execute();
      await yieldToEventLoop();
    }
  }

  /** Device events diagnosis reads (reboots, power, low battery) and ingest's rejections; detail bounded to 500 characters. */
  async recordEvent(deviceId: string, kind: string, at: number, detail: unknown): Promise<void> {
    const text = detail === undefined || detail === null ? null : JSON.stringify(detail).slice(0, 500);
    await this.db
      .insertInto('health_device_events')
      .values({ id: newId('dev'), device_id: deviceId, kind, at, detail: text })
      .execute();
  }

  /** A device's samples received since `since`, oldest first. */
  async samplesSince(deviceId: string, since: number): Promise<HeartbeatSample[]> {
    const rows = await this.db
      .selectFrom('health_samples')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('received_at', '>=', since)
      .orderBy('received_at')
      .execute();
    return this.badRows.decodeAll('health_samples', rows, (r) => `${r.device_id}@${r.received_at}`, sampleRow);
  }

  /** Heartbeats received (and with a suspect clock) by a device from the day `fromDay` on. */
  async heartbeatTotals(deviceId: string, fromDay: number): Promise<{ received: number; clockSuspect: number }> {
    const days = await this.db
      .selectFrom('health_heartbeat_days')
      .select(['received', 'clock_suspect'])
      .where('device_id', '=', deviceId)
      .where('day', '>=', fromDay)
      .execute();
    return { received: days.reduce((s, d) => s + d.received, 0), clockSuspect: days.reduce((s, d) => s + d.clock_suspect, 0) };
  }

  /** A device's events of the given kinds since `since`, oldest first; an event with corrupt detail is reported and left out. */
  async events(deviceId: string, since: number, kinds: string[]): Promise<DeviceEventRecord[]> {
    const rows = await this.db
      .selectFrom('health_device_events')
      .select(['id', 'kind', 'at', 'detail'])
      .where('device_id', '=', deviceId)
      .where('at', '>=', since)
      .where('kind', 'in', kinds)
      .orderBy('at')
      .execute();
    return this.badRows.decodeAll('health_device_events', rows, (r) => r.id, eventRow);
  }

  /** Deletes what is older than each cut-off; returns how many rows of each went. */
  async prune(before: {
    samples: number;
    events: number;
    heartbeatDays: number;
  }): Promise<{ samples: number; events: number; days: number }> {
    const samples = await this.db.deleteFrom('health_samples').where('received_at', '<', before.samples).executeTakeFirst();
    const events = await this.db.deleteFrom('health_device_events').where('at', '<', before.events).executeTakeFirst();
    const days = await this.db.deleteFrom('health_heartbeat_days').where('day', '<', before.heartbeatDays).executeTakeFirst();
    return { samples: Number(samples.numDeletedRows), events: Number(events.numDeletedRows), days: Number(days.numDeletedRows) };
  }
}
