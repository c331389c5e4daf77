import type { AlarmPress, PressOutcome } from '../store/index.ts';

export interface PressWriter {
  recordMany(presses: readonly AlarmPress[]): Promise<PressOutcome[]>;
}

interface Waiting {
  press: AlarmPress;
  resolve: (outcome: PressOutcome) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for alarms (P1: stored before PUBACK). Presses that arrive together — in the same
 * turn of the event loop, or while the previous commit is being made durable — are written in one
 * transaction and share its fsync; each press's promise settles only after the commit that holds
 * it, and the broker writes the PUBACK only then (src/ingest/broker/hooks.ts). If a shared commit
 * fails, each of its presses is tried again alone, so one press the store refuses cannot withhold
 * the others' PUBACKs; a press whose own commit fails is rejected and its device gets no PUBACK,
 * so it retransmits.
 */
export class AlarmCommits {
  private queue: Waiting[] = [];
  private running = false;

  constructor(
    private readonly writer: PressWriter,
    private readonly onCommit: (presses: number) => void = () => {},
    private readonly maxBatch = 500,
  ) {}

  submit(press: AlarmPress): Promise<PressOutcome> {
    return new Promise<PressOutcome>((resolve, reject) => {
      this.queue.push({ press, resolve, reject });
      if (!this.running) {
        this.running = true;
        // After the current I/O phase, so presses read from other sockets in it join this commit.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      await this.commit(batch);
    }
    this.running = false;
  }

  private async commit(batch: Waiting[]): Promise<void> {
    try {
      const outcomes = await this.writer.recordMany(batch.map((w) => w.press));
      this.onCommit(batch.length);
      for (const [i, w] of batch.entries()) w.resolve(outcomes[i] as PressOutcome);
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err);
        return;
      }
      for (const w of batch) await this.commit([w]);
    }
  }
}
