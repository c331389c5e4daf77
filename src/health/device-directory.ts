import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { SupervisionWindow } from '../domain/liveness.ts';
import type { Store } from '../store/index.ts';

/** What supervision needs to know of a device, from the registry and its model. */
export interface DeviceMeta {
  id: string;
  modelId: string;
  kind: string;
  beneficiaryId: string | null;
  stateCode: string;
  alarmCapable: boolean;
  testIntervalDays: number;
  installedAt: number | null;
  retiredAt: number | null;
  onTestUntil: number | null;
  window: SupervisionWindow;
}

interface Row {
  id: string;
  model_id: string;
  kind: string;
  beneficiary_id: string | null;
  state_code: string;
  alarm_capable: number;
  test_interval_days: number;
  installed_at: number | null;
  retired_at: number | null;
  on_test_until: number | null;
  heartbeat_interval_s: number | null;
  offline_after_s: number | null;
  model_heartbeat_interval_s: number;
  model_offline_after_s: number;
  updated_at: number;
}

/**
 * The registry as supervision sees it, kept in memory. Refreshed incrementally (rows changed
 * since the last sync), never by re-reading the fleet each tick.
 */
export class DeviceDirectory {
  private readonly devices = new Map<string, DeviceMeta>();
  private readonly byBeneficiary = new Map<string, Set<string>>();
  /** Keyset position (updated_at, id) of the last row read: a sync reads only what changed after it. */
  private syncedTo = -1;
  private syncedId = '';

  constructor(
    private readonly store: Store,
    /** The last-will grace as a share of the heartbeat interval (one interval by default). */
    private readonly graceS: (heartbeatIntervalS: number) => number = (h) => h,
  ) {}

  get size(): number {
    return this.devices.size;
  }

  get(id: string): DeviceMeta | undefined {
    return this.devices.get(id);
  }

  all(): IterableIterator<DeviceMeta> {
    return this.devices.values();
  }

  devicesOf(beneficiaryId: string): DeviceMeta[] {
    return [...(this.byBeneficiary.get(beneficiaryId) ?? [])].map((id) => this.devices.get(id)).filter((d): d is DeviceMeta => !!d);
  }

  private query() {
    return this.store.db
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

  /** Loads changed rows; returns the devices whose record changed (new ones included). */
  async sync(): Promise<DeviceMeta[]> {
    const changed: DeviceMeta[] = [];
    for (;;) {
      const rows = (await this.query()
        .where((eb) =>
          eb.or([eb('d.updated_at', '>', this.syncedTo), eb.and([eb('d.updated_at', '=', this.syncedTo), eb('d.id', '>', this.syncedId)])]),
        )
        .orderBy('d.updated_at')
        .orderBy('d.id')
        .limit(5000)
        .execute()) as Row[];
      for (const r of rows) changed.push(this.put(r));
      const last = rows.at(-1);
      if (!last) return changed;
      this.syncedTo = last.updated_at;
      this.syncedId = last.id;
      if (rows.length < 5000) return changed;
      await yieldToEventLoop();
    }
  }

  async loadOne(id: string): Promise<DeviceMeta | undefined> {
    const row = (await this.query().where('d.id', '=', id).executeTakeFirst()) as Row | undefined;
    return row ? this.put(row) : undefined;
  }

  private put(r: Row): DeviceMeta {
    const old = this.devices.get(r.id);
    if (old?.beneficiaryId) this.byBeneficiary.get(old.beneficiaryId)?.delete(r.id);
    const heartbeatIntervalS = r.heartbeat_interval_s ?? r.model_heartbeat_interval_s;
    const meta: DeviceMeta = {
      id: r.id,
      modelId: r.model_id,
      kind: r.kind,
      beneficiaryId: r.beneficiary_id,
      stateCode: r.state_code,
      alarmCapable: r.alarm_capable === 1,
      testIntervalDays: r.test_interval_days,
      installedAt: r.installed_at,
      retiredAt: r.retired_at,
      onTestUntil: r.on_test_until,
      // Per-model values from the catalogue, overridable per device (docs/architecture.md "House habits").
      window: {
        heartbeatIntervalS,
        offlineAfterS: r.offline_after_s ?? r.model_offline_after_s,
        graceS: this.graceS(heartbeatIntervalS),
      },
    };
    this.devices.set(r.id, meta);
    if (meta.beneficiaryId) {
      let set = this.byBeneficiary.get(meta.beneficiaryId);
      if (!set) {
        set = new Set();
        this.byBeneficiary.set(meta.beneficiaryId, set);
      }
      set.add(r.id);
    }
    return meta;
  }
}
