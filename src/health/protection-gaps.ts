import type { LivenessState } from '../domain/liveness.ts';
import type { DeviceDirectory } from './device-directory.ts';

const NO_ALARM_PATH = new Set<LivenessState | undefined>(['offline', 'gateway_down']);

/**
 * A beneficiary is in a protection gap while every one of their alarm-capable devices in service
 * is offline: no working alarm path. Maintenance or never-seen devices are not offline, so they
 * do not open a gap; a retired device no longer counts. Decided in memory; the supervisor records
 * the change with the transition that caused it.
 */
export class ProtectionGaps {
  private readonly open = new Map<string, number>();

  constructor(private readonly directory: DeviceDirectory) {}

  /** The gaps still open when Centinela (re)starts: beneficiary id → when it opened. */
  restore(open: Map<string, number>): void {
    this.open.clear();
    for (const [beneficiaryId, at] of open) this.open.set(beneficiaryId, at);
  }

  /** Returns what changed: 'opened', the duration of a gap that closed, or null. */
  evaluate(
    beneficiaryId: string,
    stateOf: (deviceId: string) => LivenessState | undefined,
    at: number,
  ): 'opened' | { closed: number } | null {
    const devices = this.directory.devicesOf(beneficiaryId).filter((d) => d.alarmCapable && stateOf(d.id) !== 'retired');
    // No working alarm path: silent, or heard only through a gateway that is down.
    const inGap = devices.length > 0 && devices.every((d) => NO_ALARM_PATH.has(stateOf(d.id)));
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
}
