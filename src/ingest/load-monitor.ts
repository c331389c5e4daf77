/**
 * Notices when the process falls behind: a timer that should fire every `intervalMs` measures
 * how late it runs. Late by more than `enterMs` three times running → overloaded; under `leaveMs` for a second → normal.
 * Event-loop lag is what a device feels as PUBACK latency, so it is the honest signal. The
 * thresholds leave room for the ordinary stalls of synchronous SQLite commits (an fsync each).
 */
export class LoadMonitor {
  private overloaded = false;
  private lateTicks = 0;
  private calmTicks = 0;
  private readonly timer: NodeJS.Timeout;
  private expected: number;

  constructor(
    private readonly options = { intervalMs: 50, enterMs: 250, leaveMs: 100 },
    private readonly onChange: (overloaded: boolean) => void = () => {},
    private readonly extraPressure: () => boolean = () => false,
  ) {
    this.expected = Date.now() + options.intervalMs;
    this.timer = setInterval(() => this.tick(), options.intervalMs).unref();
  }

  isOverloaded(): boolean {
    return this.overloaded;
  }

  private tick(): void {
    const now = Date.now();
    const lag = Math.max(0, now - this.expected);
    this.expected = now + this.options.intervalMs;
    // Three late ticks in a row: one long pause (start-up, a big GC) is not overload. Leaving
    // takes a calm second, so the state does not flap with every busy moment.
    this.lateTicks = lag > this.options.enterMs ? this.lateTicks + 1 : 0;
    this.calmTicks = lag <= this.options.leaveMs ? this.calmTicks + 1 : 0;
    const calm = this.calmTicks * this.options.intervalMs >= 1_000;
    const next = this.extraPressure() || (this.overloaded ? !calm : this.lateTicks >= 3);
    if (next !== this.overloaded) {
      this.overloaded = next;
      this.onChange(next);
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
