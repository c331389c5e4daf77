import type { Logger } from '../../platform/index.ts';

/**
 * Runs the engine's work (due steps, then the outbox) now when kicked and otherwise on a short
 * poll. The poll is what makes the database the source of truth: a step written by another
 * node, or left due by a crash, is picked up within one interval.
 */
export class Pump {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly logger: Logger,
    private readonly intervalMs = 200,
    /** Takes a failure the store already reported (a full disk is logged once, not every pass). */
    private readonly reported: (err: unknown) => boolean = () => false,
  ) {}

  start(): void {
    this.kick();
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.run();
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.work();
      } catch (err) {
        if (!this.reported(err)) this.logger.error({ err }, 'escalation pass failed; retrying at the next poll');
      }
    } while (this.again && !this.stopped);
    this.running = undefined;
    if (!this.stopped) this.timer = setTimeout(() => this.kick(), this.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
