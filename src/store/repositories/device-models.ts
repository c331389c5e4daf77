import type { Kysely } from 'kysely';
import type { DeviceModel } from '../../domain/registry.ts';
import type { Clock } from '../../platform/clock.ts';
import { bool } from '../rows.ts';
import type { Database, DeviceModelTable } from '../schema.ts';

const toModel = (r: DeviceModelTable): DeviceModel => ({
  id: r.id,
  kind: r.kind as DeviceModel['kind'],
  name: r.name,
  monthlyCostMxn: r.monthly_cost_mxn,
  costIsSample: bool(r.cost_is_sample),
  heartbeatIntervalS: r.heartbeat_interval_s,
  offlineAfterS: r.offline_after_s,
  alarmCapable: bool(r.alarm_capable),
  testIntervalDays: r.test_interval_days,
  ...(r.notes ? { notes: r.notes } : {}),
});

/** Device models come from the catalogue files; the table mirrors them for joins and reports. */
export class DeviceModelRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<DeviceModel[]> {
    return (await this.db.selectFrom('device_models').selectAll().orderBy('id').execute()).map(toModel);
  }

  async get(id: string): Promise<DeviceModel | undefined> {
    const row = await this.db.selectFrom('device_models').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toModel(row) : undefined;
  }

  /** Inserts or refreshes the catalogue's models (catalogue values are configurable). */
  async upsertAll(models: DeviceModel[]): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      for (const m of models) {
        const values = {
          kind: m.kind,
          name: m.name,
          monthly_cost_mxn: m.monthlyCostMxn,
          cost_is_sample: m.costIsSample ? 1 : 0,
          heartbeat_interval_s: m.heartbeatIntervalS,
          offline_after_s: m.offlineAfterS,
          alarm_capable: m.alarmCapable ? 1 : 0,
          test_interval_days: m.testIntervalDays,
          notes: m.notes ?? null,
          updated_at: now,
        };
        await trx
          .insertInto('device_models')
          .values({ id: m.id, ...values })
          .onConflict((oc) => oc.column('id').doUpdateSet(values))
          .execute();
      }
    });
  }
}
