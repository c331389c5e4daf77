import { Redis } from 'ioredis';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../platform/logger.ts';
import { EventBus } from './bus.ts';
import { type RedisRelay, startRedisRelay } from './redis-relay.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger({ level: 'silent' });
const raised = {
  alarmId: 'alm_1',
  deviceId: 'pb-1',
  beneficiaryId: null,
  kind: 'panic',
  severity: 'high',
  test: false,
  at: 1,
  receivedAt: 1,
  joined: false,
  pressCount: 1,
  loc: null,
} as const;

beforeAll(async () => {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    throw new Error(
      `Redis is required by this suite and is not reachable at ${REDIS_URL} (${(err as Error).message}); start it (redis-server) or set TEST_REDIS_URL`,
    );
  } finally {
    probe.disconnect();
  }
});

describe('the Redis relay between nodes', () => {
  const relays: RedisRelay[] = [];
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.close()));
  });

  it("shows node A's alarm to node B's live observers, but not to B's engines, and never echoes it back to A", async () => {
    const channel = `centinela:test:${Math.random()}`;
    const a = new EventBus(logger);
    const b = new EventBus(logger);
    relays.push(await startRedisRelay(a, REDIS_URL, logger, channel), await startRedisRelay(b, REDIS_URL, logger, channel));
    await Promise.all(relays.map((r) => r.ready));

    const engineOnB: unknown[] = [];
    b.on('alarm.raised', (p) => {
      engineOnB.push(p);
    });
    let echoesOnA = 0;
    a.on(
      'alarm.raised',
      () => {
        echoesOnA += 1;
      },
      { origin: 'any' },
    );

    const seenByStreamOnB = b.next('alarm.raised', () => true, { origin: 'any' });
    a.emit('alarm.raised', raised);
    expect(await seenByStreamOnB).toEqual(raised);

    // A later local event on B proves the relayed one was delivered (Redis keeps order per channel).
    const marker = b.next('alarm.raised', (p) => p.alarmId === 'alm_marker', { origin: 'any' });
    a.emit('alarm.raised', { ...raised, alarmId: 'alm_marker' });
    await marker;
    expect(engineOnB).toEqual([]);
    expect(echoesOnA).toBe(2);
  });

  it('does not relay events that only concern one node (downlink requests)', async () => {
    const channel = `centinela:test:${Math.random()}`;
    const a = new EventBus(logger);
    const b = new EventBus(logger);
    relays.push(await startRedisRelay(a, REDIS_URL, logger, channel), await startRedisRelay(b, REDIS_URL, logger, channel));
    await Promise.all(relays.map((r) => r.ready));
    const downlinks: unknown[] = [];
    b.on(
      'downlink.requested',
      (p) => {
        downlinks.push(p);
      },
      { origin: 'any' },
    );
    const marker = b.next('alarm.raised', () => true, { origin: 'any' });
    a.emit('downlink.requested', { deviceId: 'pb-1', topic: 'ack', payload: { alarmId: 'alm_1', state: 'received' }, retain: false });
    a.emit('alarm.raised', raised);
    await marker;
    expect(downlinks).toEqual([]);
  });
});
