/**
 * Which heartbeats intake takes (P2: throttling and load shedding may drop heartbeats, never
 * alarms). Each device has a token bucket; while the process is overloaded a device keeps only
 * one heartbeat per `overloadSpacingMs`, enough for liveness (P3) but cheap.
 */
export interface AdmissionOptions {
  burst: number;
  refillPerSecond: number;
  overloadSpacingMs: number;
}

export const DEFAULT_ADMISSION: AdmissionOptions = { burst: 20, refillPerSecond: 0.5, overloadSpacingMs: 30_000 };

export type Admission = 'accept' | 'throttled' | 'overload';

export class HeartbeatAdmission {
  private readonly buckets = new Map<string, { tokens: number; last: number; lastAccepted: number }>();

  constructor(
    private readonly options: AdmissionOptions = DEFAULT_ADMISSION,
    private readonly overloaded: () => boolean = () => false,
  ) {}

  admit(deviceId: string, now: number): Admission {
    let b = this.buckets.get(deviceId);
    if (!b) {
      b = { tokens: this.options.burst, last: now, lastAccepted: Number.NEGATIVE_INFINITY };
      this.buckets.set(deviceId, b);
    } else {
      b.tokens = Math.min(this.options.burst, b.tokens + ((now - b.last) / 1000) * this.options.refillPerSecond);
      b.last = now;
    }
    if (b.tokens < 1) return 'throttled';
    if (this.overloaded() && now - b.lastAccepted < this.options.overloadSpacingMs) return 'overload';
    b.tokens -= 1;
    b.lastAccepted = now;
    return 'accept';
  }

  forget(deviceId: string): void {
    this.buckets.delete(deviceId);
  }
}
