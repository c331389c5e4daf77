import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from '../platform/logger.ts';
import type { Engine } from './database.ts';

export interface Leadership {
  /** True while this node holds the role. */
  readonly isLeader: boolean;
  stop(): Promise<void>;
}

export interface LeadershipOptions {
  /** What is led, e.g. "supervision": one lock per role. */
  role: string;
  engine: Engine;
  /** PostgreSQL connection string (the lock lives on a connection of its own). */
  url?: string;
  /** How often a follower tries to take over (default 2 s). */
  retryMs?: number;
  onAcquired(): void | Promise<void>;
  onLost(): void | Promise<void>;
  /** Called after each try, led or not (for metrics, and for tests to await a follower). */
  onAttempt?(leader: boolean): void;
  logger: Logger;
}

/** A stable 63-bit key per role for pg_try_advisory_lock. */
const lockKey = (role: string): string =>
  BigInt.asIntN(64, BigInt(`0x${createHash('sha256').update(`centinela:${role}`).digest('hex').slice(0, 16)}`)).toString();

/**
 * Work that must happen once across nodes (supervision deadlines, scheduled jobs) is done by
 * the node holding a PostgreSQL session-level advisory lock. The lock lives exactly as long
 * as its connection: a node that dies (kill -9 included) loses it when PostgreSQL notices the
 * connection gone, and a follower takes over at its next try. On SQLite one process owns the
 * database, so it always leads.
 */
export function startLeadership(options: LeadershipOptions): Leadership {
  const log = options.logger.child({ part: 'leadership', role: options.role });
  if (options.engine === 'sqlite' || !options.url) {
    const state = { isLeader: true, stop: async () => {} };
    void Promise.resolve(options.onAcquired());
    return state;
  }
  const retryMs = options.retryMs ?? 2000;
  const key = lockKey(options.role);
  let client: pg.Client | undefined;
  let leader = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const lose = async (reason: string) => {
    if (!leader) return;
    leader = false;
    log.warn({ reason }, 'leadership lost');
    await options.onLost();
  };

  const attempt = async () => {
    if (stopped) return;
    try {
      if (!client) {
        const { default: Pg } = await import('pg');
        const c = new Pg.Client({ connectionString: options.url, connectionTimeoutMillis: 5000, keepAlive: true });
        c.on('error', (err) => {
          log.warn({ err }, 'leadership connection failed');
          client = undefined;
          void lose('connection lost');
        });
        await c.connect();
        client = c;
      }
      if (!leader) {
        const res = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1::bigint) as ok', [key]);
        if (res.rows[0]?.ok) {
          leader = true;
          log.info('leadership acquired');
          await options.onAcquired();
        }
      } else {
        // A cheap round trip proves the connection (and so the lock) is still ours.
        await client.query('select 1');
      }
    } catch (err) {
      log.warn({ err }, 'leadership check failed');
      client?.end().catch(() => {});
      client = undefined;
      await lose('check failed');
    } finally {
      options.onAttempt?.(leader);
      if (!stopped) timer = setTimeout(attempt, retryMs);
    }
  };
  void attempt();

  return {
    get isLeader() {
      return leader;
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await lose('stopping');
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}
