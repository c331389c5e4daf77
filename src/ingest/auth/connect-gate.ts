/**
 * Bounds how many CONNECTs are being authenticated at once. A fleet reconnecting after a restart
 * sends thousands of CONNECTs in the same second; without a bound each one starts its database
 * read at once, every one finishes late, and devices whose CONNECT waits too long give up and
 * retry, queueing more work. Waiting CONNECTs are served in arrival order, and one whose socket
 * closes while it waits is dropped at once, before any work is done for it.
 */
export class ConnectGate {
  private active = 0;
  private waitingCount = 0;
  private readonly waiting: Entry[] = [];

  constructor(
    readonly limit: number,
    private readonly onWaiting: (waiting: number) => void = () => {},
  ) {}

  /**
   * Runs `work` when a slot is free. `watchClose` is handed a `cancel` to call when the socket
   * closes: a CONNECT still waiting then resolves `undefined` and its work never starts.
   */
  run<T>(work: () => Promise<T>, watchClose: (cancel: () => void) => void): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve, reject) => {
      const entry: Entry = {
        state: 'waiting',
        start: () => {
          entry.state = 'started';
          this.active += 1;
          work()
            .then(resolve, reject)
            .finally(() => {
              this.active -= 1;
              this.next();
            });
        },
        cancel: () => {
          if (entry.state !== 'waiting') return;
          entry.state = 'dropped';
          if (queued) this.setWaiting(this.waitingCount - 1);
          resolve(undefined);
        },
      };
      let queued = false;
      watchClose(entry.cancel);
      if (entry.state === 'dropped') return;
      if (this.active < this.limit && this.waitingCount === 0) entry.start();
      else {
        queued = true;
        this.waiting.push(entry);
        this.setWaiting(this.waitingCount + 1);
      }
    });
  }

  /** CONNECTs waiting for a slot. */
  get queued(): number {
    return this.waitingCount;
  }

  private setWaiting(n: number): void {
    this.waitingCount = n;
    this.onWaiting(n);
  }

  private next(): void {
    while (this.active < this.limit) {
      const entry = this.waiting.shift();
      if (!entry) return;
      if (entry.state !== 'waiting') continue;
      this.setWaiting(this.waitingCount - 1);
      entry.start();
    }
  }
}

interface Entry {
  state: 'waiting' | 'started' | 'dropped';
  start: () => void;
  cancel: () => void;
}
