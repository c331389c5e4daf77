import type { Kysely } from 'kysely';
import type { Span } from '../../domain/reports-spans.ts';
import type { ReportDevice } from '../../domain/reports-types.ts';
import { checked, flag } from '../row-check.ts';
import type { Database } from '../schema.ts';

/**
 * The reads every report over a period starts from (reliability, cost, suitability and
 * availability per path alike), so that "in service during the period" and "a maintenance window
 * of the period" mean the same in each of them.
 */

/** A period of a report: [from, to). */
export interface ReportWindow {
  from: number;
  to: number;
}

/**
 * Devices installed before `to` and not retired by `from` whose id sorts after `after`, with
 * their model's price, window and alarm capability (`d` the device, `m` its model). The caller
 * narrows it further, orders and limits it: reports read a chunk of devices at a time.
 */
export function devicesInService(db: Kysely<Database>, after: string, { from, to }: ReportWindow) {
  return db
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
    .where((eb) => eb.or([eb('d.retired_at', 'is', null), eb('d.retired_at', '>', from)]));
}

type DeviceInServiceRow = Awaited<ReturnType<ReturnType<typeof devicesInService>['executeTakeFirstOrThrow']>>;

/** A row of `devicesInService` as reports know a device; a model that says neither yes nor no to alarms is a bad row. */
export function reportDevice(d: DeviceInServiceRow): ReportDevice {
  return {
    id: d.id,
    kind: d.kind,
    modelId: d.model_id,
    stateCode: d.state_code,
    beneficiaryId: d.beneficiary_id,
    monthlyCostMxn: d.monthly_cost_mxn,
    heartbeatIntervalS: d.heartbeat_interval_s ?? d.model_heartbeat_interval_s,
    alarmCapable: checked('device_models', d.model_id, 'alarm_capable', flag, d.alarm_capable),
    requestedAt: d.requested_at,
    installedAt: d.installed_at,
    retiredAt: d.retired_at,
  };
}

/** The maintenance windows of these devices that overlap the period, each with its device's id. */
export async function maintenanceWindows(
  db: Kysely<Database>,
  ids: readonly string[],
  { from, to }: ReportWindow,
): Promise<{ deviceId: string; span: Span }[]> {
  const rows = await db
    .selectFrom('health_maintenance')
    .select(['device_id', 'starts_at', 'ends_at'])
    .where('device_id', 'in', [...ids])
    .where('starts_at', '<', to)
    .where('ends_at', '>', from)
    .execute();
  return rows.map((w) => ({ deviceId: w.device_id, span: [w.starts_at, w.ends_at] as Span }));
}
