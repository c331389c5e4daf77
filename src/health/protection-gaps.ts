import type { LivenessState } from '../domain/liveness.ts';
import type { Store } from '../store/index.ts';
import { newId } from '../store/index.ts';
import type { DeviceDirectory } from './device-directory.ts';

/**
 * A beneficiary is in a protection gap while every one of their alarm-capable devices in service
 * is offline: no working alarm path (docs/architecture.md). Maintenance or never-seen devices are not
 * offline, so they do not open a gap; a retired device no longer counts.
 */
export class ProtectionGaps {
  private readonly open = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly directory: DeviceDirectory,
  ) {}

  async load(): Promise<void> {
    const rows = await this.store.db
      .selectFrom('health_protection_gaps')
      .select(['beneficiary_id', 'opened_at'])
      .where('closed_at', 'is', null)
      .execute();
    for (const r of rows) this.open.set(r.beneficiary_id, r.opened_at);
  }

  /** Decides in memory; returns what changed so the caller records it in order with the rest. */
  evaluate(
    beneficiaryId: string,
    stateOf: (deviceId: string) => LivenessState | undefined,
    at: number,
  ): 'opened' | { closed: number } | null {
    const devices = this.directory.devicesOf(beneficiaryId).filter((d) => d.alarmCapable && stateOf(d.id) !== 'retired');
    const inGap = devices.length > 0 && devices.every((d) => stateOf(d.id) === 'offline');
    const openedAt = this.open.get(beneficiaryId);
    if (inGap && openedAt === undefined) {
      this.open.set(beneficiaryId, at);
      return 'opened';
    }
    if (!inGap && openedAt !== undefined) {
      this.open.delete(beneficiaryId);
      return { closed: at - openedAt };
    }
    return null;
  }

  async recordOpened(beneficiaryId: string, at: number): Promise<void> {
    await this.store.db
      .insertInto('health_protection_gaps')
      .values({ id: newId('gap'), beneficiary_id: beneficiaryId, opened_at: at, closed_at: null })
      .execute();
  }

  async recordClosed(beneficiaryId: string, at: number): Promise<void> {
    await this.store.db
      .updateTable('health_protection_gaps')
      .set({ closed_at: at })
      .where('beneficiary_id', '=', beneficiaryId)
      .where('closed_at', 'is', null)
      .execute();
  }
}
