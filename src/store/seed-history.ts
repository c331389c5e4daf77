import type { AlarmKind, AlarmOutcome } from '../domain/alarm.ts';
import { initialSeverity } from '../domain/alarm.ts';
import type { HeartbeatSample } from '../domain/heartbeat-sample.ts';
import { alarmRow } from './alarm-row.ts';
import type { Store } from './database.ts';
import { newId as id } from './ids.ts';

/** A generated past (devices/history/generate.ts makes one): what seedHistory writes. Times are epoch ms. */
export interface HistorySeed {
  intervals: { deviceId: string; state: 'online' | 'offline'; startedAt: number; endedAt: number }[];
  incidents: { deviceId: string; openedAt: number; closedAt: number }[];
  alarms: {
    deviceId: string;
    beneficiaryId: string;
    kind: AlarmKind;
    test: boolean;
    raisedAt: number;
    acknowledgedAt: number | null;
    dispatchedAt: number | null;
    onSceneAt: number | null;
    resolvedAt: number;
    outcome: AlarmOutcome;
  }[];
  heartbeatDays: { deviceId: string; day: number; received: number }[];
  samples: (Omit<HeartbeatSample, 'receivedAt'> & { deviceId: string })[];
  centreOutage: { startedAt: number; endedAt: number };
}

const CHUNK = 500;

async function insertChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

/**
 * Writes a generated year into the tables reports and charts read: liveness intervals,
 * incidents, a centre outage, heartbeat counts, telemetry samples and handled alarms.
 * `operatorId` stands for who handled the past alarms. Used by `centinela demo` only.
 */
export async function seedHistory(store: Store, history: HistorySeed, operatorId: string): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await insertChunks(history.intervals, (c) =>
      trx
        .insertInto('health_intervals')
        .values(c.map((i) => ({ id: id('int'), device_id: i.deviceId, state: i.state, started_at: i.startedAt, ended_at: i.endedAt })))
        .execute(),
    );
    await insertChunks(history.incidents, (c) =>
      trx
        .insertInto('health_incidents')
        .values(
          c.map((i) => ({
            id: id('inc'),
            device_id: i.deviceId,
            kind: 'offline',
            opened_at: i.openedAt,
            closed_at: i.closedAt,
            duration_ms: i.closedAt - i.openedAt,
            closed_reason: 'recovered',
          })),
        )
        .execute(),
    );
    await trx
      .insertInto('health_centre_outages')
      .values({ id: id('out'), started_at: history.centreOutage.startedAt, ended_at: history.centreOutage.endedAt })
      .execute();
    await insertChunks(history.heartbeatDays, (c) =>
      trx
        .insertInto('health_heartbeat_days')
        .values(c.map((d) => ({ device_id: d.deviceId, day: d.day, received: d.received, clock_suspect: 0 })))
        .execute(),
    );
    await insertChunks(history.samples, (c) =>
      trx
        .insertInto('health_samples')
        .values(
          c.map((s) => ({
            device_id: s.deviceId,
            at: s.at,
            received_at: s.at,
            battery: s.battery,
            charging: s.charging ? 1 : 0,
            network: s.network,
            rssi: s.rssi,
            bars: s.bars,
          })),
        )
        .execute(),
    );
    await insertChunks(history.samples, (c) =>
      trx
        .insertInto('telemetry')
        .values(
          c.map((s) => ({
            device_id: s.deviceId,
            at: s.at,
            received_at: s.at,
            kind: 'heartbeat',
            clock_suspect: 0,
            seq: null,
            battery: s.battery,
            charging: s.charging ? 1 : 0,
            network: s.network,
            rssi: s.rssi,
            bars: s.bars,
            lat: null,
            lon: null,
            acc: null,
            fw: null,
            event: null,
            detail: null,
          })),
        )
        .execute(),
    );
    await insertChunks(history.alarms, async (c) => {
      const rows = c.map((a) =>
        alarmRow({
          id: id('alm'),
          device_id: a.deviceId,
          beneficiary_id: a.beneficiaryId,
          kind: a.kind,
          severity: initialSeverity(a.kind, a.test),
          test: a.test ? 1 : 0,
          raised_at: a.raisedAt,
          received_at: a.raisedAt,
          state: 'resolved',
          acknowledged_at: a.acknowledgedAt,
          acknowledged_by: a.acknowledgedAt === null ? null : operatorId,
          dispatched_at: a.dispatchedAt,
          dispatched_by: a.dispatchedAt === null ? null : operatorId,
          on_scene_at: a.onSceneAt,
          on_scene_by: a.onSceneAt === null ? null : operatorId,
          resolved_at: a.resolvedAt,
          resolved_by: operatorId,
          outcome: a.outcome,
          resolution_note: 'historia simulada',
          updated_at: a.resolvedAt,
        }),
      );
      await trx.insertInto('alarms').values(rows).execute();
      await trx
        .insertInto('alarm_presses')
        .values(
          rows.map((r) => ({
            device_id: r.device_id,
            device_alarm_id: `hist-${r.id}`,
            alarm_id: r.id,
            device_ts: r.raised_at,
            received_at: r.received_at,
          })),
        )
        .execute();
    });
  });
}
