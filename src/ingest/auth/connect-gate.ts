/**
 * Bounds how many CONNECTs are being authenticated at once. A fleet reconnecting after a restart
 * sends thousands of CONNECTs in the same second; without a bound each one starts its database
 * read at once, every one finishes late, and devices whose CONNECT waits too long give up and
 * retry, queueing more work. Waiting CONNECTs are served in arrival order, and one whose socket
 * closed while it waited is dropped before any work is done for it.
 */
export class ConnectGate {
  private active = 0;
  private readonly waiting: { isClosed: () => boolean; start: () => void; drop: () => void }[] = [];

  constructor(
    readonly limit: number,
    private readonly onWaiting: (waiting: number) => void = () => {},
  ) {}

  /** Runs `work` when a slot is free; resolves `undefined` without running it if the socket closed first. */
  run<T>(isClosed: () => boolean, work: () => Promise<T>): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve, reject) => {
      const start = () => {
        this.active += 1;
        work()
          .then(resolve, reject)
          .finally(() => {
            this.active -= 1;
            this.next();
          });
      };
      const entry = { isClosed, start, drop: () => resolve(undefined) };
      if (this.active < this.limit && this.waiting.length === 0) {
        if (isClosed()) entry.drop();
        else start();
      } else {
        this.waiting.push(entry);
        this.onWaiting(this.waiting.length);
      }
    });
  }

  /** CONNECTs waiting for a slot (a metric for the restart storm). */
  get queued(): number {
    return this.waiting.length;
  }

  private next(): void {
    while (this.active < this.limit) {
      const entry = this.waiting.shift();
      if (!entry) return;
      this.onWaiting(this.waiting.length);
      if (entry.isClosed()) entry.drop();
      else entry.start();
    }
  }
}
