import { afterEach, describe, expect, test } from 'vitest';
import { EventBus, type EventMap } from '../src/events/index.ts';
import { type HealthApi, startHealth } from '../src/health/index.ts';
import { createLogger, createMetrics, type Part, systemClock } from '../src/platform/index.ts';
import { createRepositories, openStore, type Store, systemActor } from '../src/store/index.ts';
import { freshStore, PG_URL, type TestStore } from './fixtures/databases.ts';
import { eventually } from './fixtures/ingest-wait.ts';

/**
 * Issue 8: two health parts on one PostgreSQL schema, as two nodes would run them. One at a time
 * supervises and runs the scheduled jobs; the other takes over when it stops. (The child-process
 * cluster test kills a node with -9; this one shows the hand-over in detail.)
 */
interface HealthNode {
  events: EventBus;
  part: Part<HealthApi>;
  store: Store;
  stopped: boolean;
}

let db: TestStore | undefined;
const nodes: HealthNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) {
    if (!n.stopped) await n.part.stop();
    await n.store.close();
  }
  await db?.cleanup();
  db = undefined;
}, 60_000);

async function startNode(schemaDb: TestStore): Promise<HealthNode> {
  const schema = /search_path=([a-z0-9_]+)/.exec(new URL(schemaDb.env.DATABASE_URL as string).searchParams.get('options') ?? '')?.[1];
  // Each node its own pool, as separate processes would have.
  const store = await openStore({ kind: 'postgres', url: PG_URL, schema, poolSize: 2 });
  const logger = createLogger({ level: 'silent' });
  const events = new EventBus(logger);
  const part = await startHealth({
    config: { watchdog: undefined, tickMs: 100, flushMs: 3_600_000, leadershipUrl: schemaDb.env.DATABASE_URL },
    logger,
    clock: systemClock,
    metrics: createMetrics(),
    repos: createRepositories(store, systemClock),
    events,
  });
  const node = { events, part, store, stopped: false };
  nodes.push(node);
  return node;
}

const heartbeat = (deviceId: string, seq: number): EventMap['heartbeat.received'] => {
  const now = Date.now();
  return { deviceId, at: now, receivedAt: now, clockSuspect: false, heartbeat: { ts: now, seq, battery: 90, signal: { network: 'lte' } } };
};
const leadsJobs = async (n: HealthNode) => (await n.part.api.jobs()).some((j) => j.nextRun !== null);

describe('supervision and jobs across nodes on one PostgreSQL', () => {
  test('one node supervises and runs the jobs; when it stops, the other takes over with the states it left', async () => {
    db = await freshStore('postgres');
    const deviceId = `lead-${Date.now().toString(36)}`;
    await db.repos.devices.create(
      systemActor('test'),
      { id: deviceId, modelId: 'panic-button', beneficiaryId: null, stateCode: 'VER', installedAt: new Date().toISOString() },
      'not-a-real-hash',
    );

    const first = await startNode(db);
    await eventually(() => leadsJobs(first), 15_000);
    const second = await startNode(db);

    // A heartbeat received by the follower is counted by it, but only the leader supervises,
    // hearing it relayed (here: delivered as a remote event, as the Redis relay does).
    const onSecond = heartbeat(deviceId, 1);
    second.events.emit('heartbeat.received', onSecond);
    first.events.emitRemote('heartbeat.received', onSecond);
    await eventually(async () => first.part.api.liveness(deviceId)?.state === 'online', 10_000);
    expect(second.part.api.liveness(deviceId)?.state ?? 'never_seen').toBe('never_seen');
    expect(await leadsJobs(second)).toBe(false);

    await Promise.all([first.part.api.flush(), second.part.api.flush()]);
    const counted = await db.store.db.selectFrom('health_heartbeat_days').select('received').where('device_id', '=', deviceId).execute();
    expect(counted.reduce((sum, r) => sum + Number(r.received), 0)).toBe(1);
    const transitions = await db.store.db
      .selectFrom('health_intervals')
      .select('state')
      .where('device_id', '=', deviceId)
      .orderBy('started_at')
      .execute();
    // Written once, by the leader: not once per node.
    expect(transitions.map((t) => t.state)).toEqual(['never_seen', 'online']);

    // The leader stops; within a few seconds the other node holds both roles and knows the device.
    await first.part.stop();
    first.stopped = true;
    await eventually(() => leadsJobs(second), 15_000);
    await eventually(async () => second.part.api.liveness(deviceId)?.state === 'online', 15_000);
    // Now its own heartbeats move the device's window.
    const later = heartbeat(deviceId, 2);
    second.events.emit('heartbeat.received', later);
    expect(second.part.api.liveness(deviceId)?.lastSeenAt).toBeGreaterThanOrEqual(later.receivedAt);
  }, 90_000);
});
