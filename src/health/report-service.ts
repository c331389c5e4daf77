import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DEVICE_OFFLINE_TASK } from '../domain/alarm.ts';
import type { LivenessState } from '../domain/liveness.ts';
import { type CostRow, type ReliabilityRow, type Report, ReportBuilder, type ReportKind } from '../domain/reports.ts';
import { monthSlices, type Span } from '../domain/reports-spans.ts';
import type { DeviceHistory, GroupBy } from '../domain/reports-types.ts';
import type { Store } from '../store/index.ts';
import { CentreOutages } from './centre-outages.ts';

export interface ReportParams {
  from: number;
  to: number;
  groupBy: GroupBy;
}

export interface ReportRunOptions {
  asOf: number;
  /** Analysts: groups of fewer than 5 beneficiaries suppressed. */
  suppressSmallGroups: boolean;
  /** Devices read per round trip; between rounds the event loop runs (alarms first). */
  chunkSize?: number;
}

/**
 * Reads a period's history chunk by chunk of devices and feeds the pure builder. better-sqlite3
 * is synchronous, so one huge read would stall the alarm path (P1); small chunks with a yield
 * between them keep each stall short.
 */
export async function buildReport(
  store: Store,
  kind: 'reliability',
  params: ReportParams,
  options: ReportRunOptions,
): Promise<Report<ReliabilityRow>>;
export async function buildReport(store: Store, kind: 'cost', params: ReportParams, options: ReportRunOptions): Promise<Report<CostRow>>;
export async function buildReport(
  store: Store,
  kind: ReportKind,
  params: ReportParams,
  options: ReportRunOptions,
): Promise<Report<ReliabilityRow> | Report<CostRow>> {
  const { from, to, groupBy } = params;
  const { asOf } = options;
  const db = store.db;
  const outages = await new CentreOutages(store).list(from, to);
  const builder = new ReportBuilder({ period: { from, to, asOf }, groupBy, outages, suppressSmallGroups: options.suppressSmallGroups });
  const months = monthSlices(from, Math.min(to, asOf));
  const chunkSize = options.chunkSize ?? 100;
  const beneficiaries = new Set<string>();
  let after = '';
  for (;;) {
    const devices = await db
      .selectFrom('devices as d')
      .innerJoin('device_models as m', 'm.id', 'd.model_id')
      .select([
        'd.id',
        'm.kind',
        'd.model_id',
        'd.state_code',
        'd.beneficiary_id',
        'm.monthly_cost_mxn',
        'd.heartbeat_interval_s',
        'm.heartbeat_interval_s as model_heartbeat_interval_s',
        'm.alarm_capable',
        'd.requested_at',
        'd.installed_at',
        'd.retired_at',
      ])
      .where('d.id', '>', after)
      .where('d.installed_at', 'is not', null)
      .where('d.installed_at', '<', to)
      .where((eb) => eb.or([eb('d.retired_at', 'is', null), eb('d.retired_at', '>', from)]))
      .orderBy('d.id')
      .limit(chunkSize)
      .execute();
    if (devices.length === 0) break;
    after = devices.at(-1)?.id ?? after;
    const ids = devices.map((d) => d.id);
    const histories = new Map<string, DeviceHistory>(
      devices.map((d) => [
        d.id,
        {
          device: {
            id: d.id,
            kind: d.kind,
            modelId: d.model_id,
            stateCode: d.state_code,
            beneficiaryId: d.beneficiary_id,
            monthlyCostMxn: d.monthly_cost_mxn,
            heartbeatIntervalS: d.heartbeat_interval_s ?? d.model_heartbeat_interval_s,
            alarmCapable: d.alarm_capable === 1,
            requestedAt: d.requested_at,
            installedAt: d.installed_at,
            retiredAt: d.retired_at,
          },
          intervals: [],
          maintenance: [],
          heartbeatDays: [],
          alarms: [],
        },
      ]),
    );
    const intervals = await db
      .selectFrom('health_intervals')
      .select(['device_id', 'state', 'started_at', 'ended_at'])
      .where('device_id', 'in', ids)
      .where('started_at', '<', to)
      .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', from)]))
      .execute();
    for (const i of intervals)
      histories.get(i.device_id)?.intervals.push({ state: i.state as LivenessState, start: i.started_at, end: i.ended_at });
    const windows = await db
      .selectFrom('health_maintenance')
      .select(['device_id', 'starts_at', 'ends_at'])
      .where('device_id', 'in', ids)
      .where('starts_at', '<', to)
      .where('ends_at', '>', from)
      .execute();
    for (const w of windows) histories.get(w.device_id)?.maintenance.push([w.starts_at, w.ends_at] as Span);
    // Summed per month in SQL: a year of daily rows for the fleet never crosses into JavaScript.
    for (const m of months) {
      const sums = await db
        .selectFrom('health_heartbeat_days')
        .select(['device_id', (eb) => eb.fn.sum<number>('received').as('received')])
        .where('device_id', 'in', ids)
        .where('day', '>=', m.from)
        .where('day', '<', m.to)
        .groupBy('device_id')
        .execute();
      for (const s of sums) histories.get(s.device_id)?.heartbeatDays.push({ day: m.from, received: Number(s.received) });
    }
    const alarms = await db
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
    let computed = 0;
    for (const h of histories.values()) {
      builder.addDevice(h);
      if (h.device.beneficiaryId) beneficiaries.add(h.device.beneficiaryId);
      // The computation is synchronous too: let alarms through every few devices.
      if (++computed % 20 === 0) await yieldToEventLoop();
    }
    await yieldToEventLoop();
  }
  const gaps = await db
    .selectFrom('health_protection_gaps')
    .select(['beneficiary_id', 'opened_at', 'closed_at'])
    .where('opened_at', '<', to)
    .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>', from)]))
    .execute();
  const byBeneficiary = new Map<string, Span[]>();
  for (const g of gaps) {
    const list = byBeneficiary.get(g.beneficiary_id) ?? [];
    list.push([g.opened_at, g.closed_at ?? asOf]);
    byBeneficiary.set(g.beneficiary_id, list);
  }
  for (const [id, spans] of byBeneficiary) if (beneficiaries.has(id)) builder.addGaps(id, spans);
  return kind === 'reliability' ? builder.finish('reliability') : builder.finish('cost');
}
