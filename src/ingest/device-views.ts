/** What intake needs per message about a device (src/store/repositories/devices.ts intakeView). */
export interface DeviceView {
  beneficiaryId: string | null;
  onTestUntil: number | null;
  retiredAt: number | null;
}

/**
 * The last view of each device this node read, bounded (oldest forgotten first), so a press that
 * arrives while the database is away is journaled with its person and test flag (issue 13 §2).
 */
export class DeviceViews {
  private readonly views = new Map<string, DeviceView>();

  constructor(private readonly capacity = 100_000) {}

  remember(deviceId: string, view: DeviceView | undefined): DeviceView | undefined {
    this.views.delete(deviceId);
    if (view === undefined) return undefined;
    if (this.views.size >= this.capacity) {
      const oldest = this.views.keys().next().value;
      if (oldest !== undefined) this.views.delete(oldest);
    }
    this.views.set(deviceId, view);
    return view;
  }

  cached(deviceId: string): DeviceView | undefined {
    return this.views.get(deviceId);
  }
}
