import { setImmediate as nextTurn } from 'node:timers/promises';
import { GroupCommit } from '../../platform/index.ts';
import type { AttemptRecord, SqliteOutbox } from './outbox-sqlite.ts';

/**
 * Group commit for the outbox's attempts on SQLite (src/platform/group-commit.ts): the pages of an
 * alarm are sent together and answer together (the console outbox at once), so their attempts,
 * recorded in the same turn of the event loop, share one commit and its fsync instead of paying
 * one each. A query-builder transaction open on the connection is waited out for a few turns;
 * then the attempts take the portable path, each on its own.
 */
export function attemptCommits(
  sqlite: SqliteOutbox,
  portable: (record: AttemptRecord) => Promise<string>,
): GroupCommit<AttemptRecord, string> {
  return new GroupCommit(async (records) => {
    for (let turn = 0; turn < 50; turn++) {
      const statuses = sqlite.tryRecordAttempts(records);
      if (statuses) return statuses;
      await nextTurn();
    }
    return records.map(portable);
  });
}
