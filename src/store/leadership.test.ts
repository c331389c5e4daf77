import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PG_URL, requirePostgres } from '../../test/fixtures/databases.ts';
import { createLogger } from '../platform/logger.ts';
import { type Leadership, startLeadership } from './leadership.ts';

const logger = createLogger({ level: 'silent' });

function node(role: string) {
  const events: string[] = [];
  const attemptWaiters: (() => void)[] = [];
  let acquired: () => void = () => {};
  const acquiredOnce = new Promise<void>((resolve) => {
    acquired = resolve;
  });
  const leadership = startLeadership({
    role,
    engine: 'postgres',
    url: PG_URL,
    retryMs: 100,
    logger,
    onAcquired: () => {
      events.push('acquired');
      acquired();
    },
    onLost: () => {
      events.push('lost');
    },
    onAttempt: () => {
      for (const w of attemptWaiters.splice(0)) w();
    },
  });
  const nextAttempt = () => new Promise<void>((resolve) => attemptWaiters.push(resolve));
  return { leadership, events, acquiredOnce, nextAttempt };
}

describe('leadership across nodes on PostgreSQL', () => {
  const running: Leadership[] = [];
  beforeAll(requirePostgres);
  afterEach(async () => {
    await Promise.all(running.splice(0).map((l) => l.stop()));
  });

  it('gives a role to one node only, and hands it over when the leader stops', async () => {
    const role = `test-${randomUUID()}`;
    const a = node(role);
    running.push(a.leadership);
    await a.acquiredOnce;
    const b = node(role);
    running.push(b.leadership);
    // B has tried twice and stayed a follower while A leads.
    await b.nextAttempt();
    await b.nextAttempt();
    expect([a.leadership.isLeader, b.leadership.isLeader]).toEqual([true, false]);

    await a.leadership.stop();
    await b.acquiredOnce;
    expect(a.events).toEqual(['acquired', 'lost']);
    expect(b.leadership.isLeader).toBe(true);
  });

  it('always leads on SQLite, where one process owns the database', async () => {
    let acquired = false;
    const onAcquired = () => {
      acquired = true;
    };
    const l = startLeadership({ role: 'x', engine: 'sqlite', logger, onAcquired, onLost: () => {} });
    running.push(l);
    await Promise.resolve();
    expect(l.isLeader).toBe(true);
    expect(acquired).toBe(true);
  });
});
