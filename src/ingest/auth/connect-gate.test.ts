import { describe, expect, it } from 'vitest';
import { ConnectGate } from './connect-gate.ts';

const deferred = () => {
  let release!: () => void;
  const promise = new Promise<void>((r) => (release = r));
  return { promise, release };
};
const neverCloses = () => {};

describe('connect gate', () => {
  it('runs at most `limit` authentications at once, the rest in arrival order', async () => {
    const gate = new ConnectGate(2);
    const started: number[] = [];
    const holds = [deferred(), deferred(), deferred()];
    const runs = holds.map((h, i) =>
      gate.run(async () => {
        started.push(i);
        await h.promise;
        return i;
      }, neverCloses),
    );
    expect(started).toEqual([0, 1]);
    expect(gate.queued).toBe(1);
    holds[0]?.release();
    await runs[0];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    holds[1]?.release();
    holds[2]?.release();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
  });

  it('drops a CONNECT whose socket closes while it waits, and never starts its work', async () => {
    const gate = new ConnectGate(1);
    const hold = deferred();
    let close!: () => void;
    let ran = false;
    const first = gate.run(() => hold.promise, neverCloses);
    const second = gate.run(
      async () => {
        ran = true;
      },
      (cancel) => (close = cancel),
    );
    expect(gate.queued).toBe(1);
    close();
    expect(gate.queued).toBe(0);
    expect(await second).toBeUndefined();
    hold.release();
    await first;
    expect(ran).toBe(false);
  });

  it('does not start the work of a CONNECT whose socket had already closed', async () => {
    const gate = new ConnectGate(4);
    let ran = false;
    const result = await gate.run(
      async () => {
        ran = true;
      },
      (cancel) => cancel(),
    );
    expect(result).toBeUndefined();
    expect(ran).toBe(false);
  });
});
