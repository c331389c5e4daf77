import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { SupervisedDevice } from '../domain/health.ts';
import type { SupervisionWindow } from '../domain/liveness.ts';
import type { Repositories } from '../store/index.ts';

/** What supervision needs to know of a device: the registry's facts and its supervision window. */
export type DeviceMeta = Omit<SupervisedDevice, 'heartbeatIntervalS' | 'offlineAfterS' | 'updatedAt'> & { window: SupervisionWindow };

type RegistryCursor = Parameters<Repositories['supervisedDevices']['changedSince']>[0];

const PAGE = 5000;

/**
 * The registry as supervision sees it, kept in memory. Refreshed incrementally (rows changed
 * since the last sync), never by re-reading the fleet each tick.
 */
export class DeviceDirectory {
  private readonly devices = new Map<string, DeviceMeta>();
  private readonly byBeneficiary = new Map<string, Set<string>>();
  /** Where the last sync stopped: the next one reads only what changed after it. */
  private cursor: RegistryCursor = { updatedAt: -1, id: '' };

  constructor(private readonly registry: Repositories['supervisedDevices']) {}

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

  /** Loads changed rows; returns the devices whose record changed (new ones included). */
  async sync(): Promise<DeviceMeta[]> {
    const changed: DeviceMeta[] = [];
    for (;;) {
      const page = await this.registry.changedSince(this.cursor, PAGE);
      for (const d of page.devices) changed.push(this.put(d));
      this.cursor = page.next;
      if (page.rows < PAGE) return changed;
      await yieldToEventLoop();
    }
  }

  async loadOne(id: string): Promise<DeviceMeta | undefined> {
    const device = await this.registry.one(id);
    return device ? this.put(device) : undefined;
  }

  private put(d: SupervisedDevice): DeviceMeta {
    const old = this.devices.get(d.id);
    if (old?.beneficiaryId) this.byBeneficiary.get(old.beneficiaryId)?.delete(d.id);
    // A device that left a last will has one heartbeat interval to come back.
    // Built field by field: one small shape for every device keeps a fleet of 100,000 light in memory.
    const meta: DeviceMeta = {
      id: d.id,
      modelId: d.modelId,
      kind: d.kind,
      beneficiaryId: d.beneficiaryId,
      stateCode: d.stateCode,
      alarmCapable: d.alarmCapable,
      testIntervalDays: d.testIntervalDays,
      installedAt: d.installedAt,
      retiredAt: d.retiredAt,
      onTestUntil: d.onTestUntil,
      window: { heartbeatIntervalS: d.heartbeatIntervalS, offlineAfterS: d.offlineAfterS, graceS: d.heartbeatIntervalS },
    };
    this.devices.set(d.id, meta);
    if (meta.beneficiaryId) {
      let set = this.byBeneficiary.get(meta.beneficiaryId);
      if (!set) {
        set = new Set();
        this.byBeneficiary.set(meta.beneficiaryId, set);
      }
      set.add(d.id);
    }
    return meta;
  }
}
