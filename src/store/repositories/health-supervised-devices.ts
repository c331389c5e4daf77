import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { SupervisedDevice } from '../../domain/health.ts';
import { type BadRows, decodeRow, flag } from '../row-check.ts';
import type { Database } from '../schema.ts';

const TABLE = 'devices';

const row = z
  .object({
    id: z.string(),
    model_id: z.string(),
    kind: z.string(),
    beneficiary_id: z.string().nullable(),
    state_code: z.string(),
    alarm_capable: flag,
    test_interval_days: z.number(),
    installed_at: z.number().nullable(),
    retired_at: z.number().nullable(),
    on_test_until: z.number().nullable(),
    heartbeat_interval_s: z.number().positive().nullable(),
    offline_after_s: z.number().positive().nullable(),
    model_heartbeat_interval_s: z.number().positive(),
    model_offline_after_s: z.number().positive(),
    updated_at: z.number(),
  })
  .transform(
    (r): SupervisedDevice => ({
      id: r.id,
      modelId: r.model_id,
      kind: r.kind,
      beneficiaryId: r.beneficiary_id,
      stateCode: r.state_code,
      alarmCapable: r.alarm_capable,
      testIntervalDays: r.test_interval_days,
      installedAt: r.installed_at,
      retiredAt: r.retired_at,
      onTestUntil: r.on_test_until,
      // Per-model values from the catalogue, overridable per device.
      heartbeatIntervalS: r.heartbeat_interval_s ?? r.model_heartbeat_interval_s,
      offlineAfterS: r.offline_after_s ?? r.model_offline_after_s,
      updatedAt: r.updated_at,
    }),
  );

/** Keyset position of the last row read: (updated_at, id). */
export interface RegistryCursor {
  updatedAt: number;
  id: string;
}

/** The registry (devices joined with their model) as supervision reads it. */
export class SupervisedDeviceRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly badRows: BadRows,
  ) {}

  private query() {
    return this.db
      .selectFrom('devices as d')
      .innerJoin('device_models as m', 'm.id', 'd.model_id')
      .select([
        'd.id',
        'd.model_id',
        'm.kind',
        'd.beneficiary_id',
        'd.state_code',
        'm.alarm_capable',
        'm.test_interval_days',
        'd.installed_at',
        'd.retired_at',
        'd.on_test_until',
        'd.heartbeat_interval_s',
        'd.offline_after_s',
        'm.heartbeat_interval_s as model_heartbeat_interval_s',
        'm.offline_after_s as model_offline_after_s',
        'd.updated_at',
      ]);
  }

  /**
   * Rows changed after `cursor`, oldest change first. `next` is where the following page starts
   * (it moves past bad rows too, which are reported and left out).
   */
  async changedSince(cursor: RegistryCursor, limit: number): Promise<{ devices: SupervisedDevice[]; next: RegistryCursor; rows: number }> {
    const rows = await this.query()
      .where((eb) =>
        eb.or([eb('d.updated_at', '>', cursor.updatedAt), eb.and([eb('d.updated_at', '=', cursor.updatedAt), eb('d.id', '>', cursor.id)])]),
      )
      .orderBy('d.updated_at')
      .orderBy('d.id')
      .limit(limit)
      .execute();
    const last = rows.at(-1);
    return {
      devices: this.badRows.decodeAll(TABLE, rows, (r) => r.id, row),
      next: last ? { updatedAt: last.updated_at, id: last.id } : cursor,
      rows: rows.length,
    };
  }

  /** One device, or undefined when unknown; a bad row throws the error naming it. */
  async one(id: string): Promise<SupervisedDevice | undefined> {
    const r = await this.query().where('d.id', '=', id).executeTakeFirst();
    return r ? decodeRow(TABLE, r.id, row, r) : undefined;
  }
}
