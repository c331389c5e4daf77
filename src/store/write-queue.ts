import type { Logger } from '../platform/index.ts';

/**
 * Health's database writes, one after another. The supervisor decides in memory (fast, never
 * waiting on the database) and queues the record; a failed write is logged and the next one
 * runs, so a hiccup never stops supervision.
 */
export class WriteQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(private readonly logger: Logger) {}

  enqueue(what: string, work: () => Promise<void>): void {
    this.pending += 1;
    this.tail = this.tail
      .then(work)
      .catch((err: unknown) => this.logger.error({ err, what }, 'health write failed'))
      .finally(() => {
        this.pending -= 1;
      });
  }

  get depth(): number {
    return this.pending;
  }

  /** Resolves when the queue is empty (work queued by queued work included). */
  async drain(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }
}
