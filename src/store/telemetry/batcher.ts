/**
 * A bounded buffer flushed on size or time, one flush at a time. A full buffer refuses new
 * items (the caller counts them as shed) instead of growing: memory stays bounded when the
 * destination is slow or down.
 */
export class Batcher<T> {
  private buffer: T[] = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly options: { maxBatch: number; capacity: number; intervalMs: number },
    private readonly writeBatch: (items: T[]) => Promise<void>,
    private readonly onError: (err: unknown, items: number) => void,
  ) {}

  add(item: T): boolean {
    if (this.closed || this.buffer.length >= this.options.capacity) return false;
    this.buffer.push(item);
    if (this.buffer.length >= this.options.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.intervalMs).unref();
    return true;
  }

  pending(): number {
    return this.buffer.length;
  }

  /** Writes everything buffered so far; resolves when it is written (or failed and reported). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const items = this.buffer.splice(0, this.options.maxBatch);
    this.flushing = this.writeBatch(items).catch((err: unknown) => this.onError(err, items.length));
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
    if (this.buffer.length > 0) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
}
