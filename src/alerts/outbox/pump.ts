import type { Logger } from '../../platform/index.ts';

/** What a pass does: everything (due steps, check-in timers, the outbox), or only the outbox. */
export type PassKind = 'full' | 'outbox';

/**
 * Runs the engine's work now when kicked and otherwise on a short poll. The poll is what makes
 * the database the source of truth: a step written by another node, or left due by a crash, is
 * picked up within one interval, so every timed pass is a full one.
 *
 * Most kicks only mean "new rows are on the outbox" (an alarm opened with its 0 s steps fired in
 * the same commit, a send finished and freed a slot): those run an outbox-only pass. Querying the
 * due steps and timers on each of them was a third of an alarm's queries (bench/alarm-cpu.ts),
 * for work the next timed pass does anyway. Kicks during a pass coalesce into one more pass.
 */
export class Pump {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again: PassKind | undefined;
  private stopped = false;

  constructor(
    private readonly work: (kind: PassKind) => Promise<void>,
    private readonly logger: Logger,
    private readonly intervalMs = 200,
    /** Takes a failure the store already reported (a full disk is logged once, not every pass). */
    private readonly reported: (err: unknown) => boolean = () => false,
  ) {}

  start(): void {
    this.kick('full');
  }

  kick(kind: PassKind = 'full'): void {
    if (this.stopped) return;
    if (this.running) {
      if (this.again !== 'full') this.again = kind;
      return;
    }
    // An outbox kick leaves the poll's schedule alone: a steady stream of them must never
    // postpone the full pass that runs the later escalation steps.
    if (kind === 'full' && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.running = this.run(kind);
  }

  private async run(first: PassKind): Promise<void> {
    let kind: PassKind | undefined = first;
    while (kind && !this.stopped) {
      this.again = undefined;
      try {
        await this.work(kind);
      } catch (err) {
        if (!this.reported(err)) this.logger.error({ err }, 'escalation pass failed; retrying at the next poll');
      }
      kind = this.again;
    }
    this.running = undefined;
    if (!this.stopped && !this.timer)
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.kick('full');
      }, this.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
