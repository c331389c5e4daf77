import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AttemptRecord, SqliteOutbox } from './outbox-sqlite.ts';

interface Waiting {
  record: AttemptRecord;
  resolve: (status: string) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for the outbox's attempts on SQLite: the pages of an alarm are sent together and
 * answer together (the console outbox at once), so their attempts, recorded in the same turn of
 * the event loop, share one commit and its fsync instead of paying one each. Each attempt's
 * promise settles only after the commit that holds it. If a shared commit fails, each attempt is
 * tried again alone, so one the store refuses cannot hold back the others (as ingest's
 * src/ingest/alarm-commits.ts). A query-builder transaction open on the connection is waited out
 * for a few turns; then the attempts take the portable path.
 */
export class AttemptCommits {
  private queue: Waiting[] = [];
  private running = false;

  constructor(
    private readonly sqlite: SqliteOutbox,
    private readonly portable: (record: AttemptRecord) => Promise<string>,
  ) {}

  submit(record: AttemptRecord): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) await this.commit(this.queue.splice(0));
    this.running = false;
  }

  private async commit(batch: Waiting[]): Promise<void> {
    for (let turn = 0; turn < 50; turn++) {
      let statuses: string[] | undefined;
      try {
        statuses = this.sqlite.tryRecordAttempts(batch.map((w) => w.record));
      } catch (err) {
        if (batch.length === 1) return batch[0]?.reject(err);
        for (const w of batch) await this.commit([w]);
        return;
      }
      if (statuses) {
        for (const [i, w] of batch.entries()) w.resolve(statuses[i] as string);
        return;
      }
      await nextTurn();
    }
    for (const w of batch) this.portable(w.record).then(w.resolve, w.reject);
  }
}
