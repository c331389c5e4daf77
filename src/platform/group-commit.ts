interface Waiting<T, R> {
  item: T;
  resolve: (result: R | PromiseLike<R>) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: items submitted together — in the same turn of the event loop, or while the
 * previous commit is being made durable — are written by one call and share its fsync. Each
 * item's promise settles only after the write that holds it. If a shared write fails, each of its
 * items is tried again alone, so one item the store refuses cannot hold back the others; an item
 * whose own write fails is rejected.
 *
 * `write` answers one result per item, in order; a result may itself be a promise (an item the
 * writer hands to another path), and then settles that item alone.
 */
export class GroupCommit<T, R> {
  private queue: Waiting<T, R>[] = [];
  private running = false;

  constructor(
    private readonly write: (items: T[]) => Promise<readonly (R | PromiseLike<R>)[]>,
    private readonly onCommit: (items: number) => void = () => {},
    private readonly maxBatch = 500,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        // After the current I/O phase, so items read from other sockets in it join this commit.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) await this.commit(this.queue.splice(0, this.maxBatch));
    this.running = false;
  }

  private async commit(batch: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await this.write(batch.map((w) => w.item));
      this.onCommit(batch.length);
      for (const [i, w] of batch.entries()) w.resolve(results[i] as R | PromiseLike<R>);
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err);
        return;
      }
      for (const w of batch) await this.commit([w]);
    }
  }
}
