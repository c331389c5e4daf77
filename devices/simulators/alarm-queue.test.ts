import { describe, expect, test } from 'vitest';
import type { AlarmPayload } from '../../src/domain/wire.ts';
import { AlarmQueue } from './alarm-queue.ts';

/** A send whose PUBACK (or failure) the test decides. */
function controlledSend() {
  const calls: { payload: AlarmPayload; ack: () => void; fail: () => void }[] = [];
  const send = (payload: AlarmPayload) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ payload, ack: resolve, fail: () => reject(new Error('connection lost')) });
    });
  return { calls, send };
}
const flushMicrotasks = () => new Promise((resolve) => setImmediate(resolve));
const press = (id: string): AlarmPayload => ({ id, ts: 1_700_000_000_000, kind: 'panic' });

describe('local alarm queue', () => {
  test('keeps a press until PUBACK and retries it with the same id after a failed attempt', async () => {
    const { calls, send } = controlledSend();
    const acked: string[] = [];
    const q = new AlarmQueue({ send, onPuback: (id) => acked.push(id) });
    q.enqueue(press('a-1'), 1);
    q.flush();
    q.flush(); // already in flight: not sent twice
    expect(calls).toHaveLength(1);
    calls[0]?.fail();
    await flushMicrotasks();
    expect(q.pending.map((p) => p.payload.id)).toEqual(['a-1']);
    q.flush();
    expect(calls.map((c) => c.payload.id)).toEqual(['a-1', 'a-1']);
    calls[1]?.ack();
    await flushMicrotasks();
    expect(q.pending).toEqual([]);
    expect(acked).toEqual(['a-1']);
  });

  test('after the connection is replaced, in-flight presses are sent again and acknowledged once', async () => {
    const { calls, send } = controlledSend();
    const acked: string[] = [];
    const q = new AlarmQueue({ send, onPuback: (id) => acked.push(id) });
    q.enqueue(press('a-2'), 1);
    q.flush();
    q.forgetInFlight();
    q.flush();
    calls[0]?.ack();
    calls[1]?.ack();
    await flushMicrotasks();
    expect(acked).toEqual(['a-2']);
    expect(q.pending).toEqual([]);
  });

  test('a refused attempt (no satellite in view) leaves the press queued without counting an attempt', () => {
    const { calls, send } = controlledSend();
    const q = new AlarmQueue({ send });
    q.enqueue(press('a-3'), 1);
    q.flush(() => false);
    expect(calls).toHaveLength(0);
    expect(q.pending[0]?.attempts).toBe(0);
  });
});

describe('local alarm queue without PUBACK', () => {
  test('an alarm the broker never acknowledges is sent again with the same id after the timeout', async () => {
    const { calls, send } = controlledSend();
    let timedOut!: () => void;
    const timeout = new Promise<void>((resolve) => {
      timedOut = resolve;
    });
    const q = new AlarmQueue({ send, pubackTimeoutMs: 5, onTimeout: () => timedOut() });
    q.enqueue(press('a-4'), 1);
    q.flush();
    await timeout;
    q.flush();
    expect(calls.map((c) => c.payload.id)).toEqual(['a-4', 'a-4']);
    calls[1]?.ack();
    await flushMicrotasks();
    expect(q.pending).toEqual([]);
    q.close();
  });
});
