import { describe, expect, it } from 'vitest';
import { ConnectGate } from './connect-gate.ts';

const deferred = () => {
  let release!: () => void;
  const promise = new Promise<void>((r) => (release = r));
  return { promise, release };
};

describe('connect gate', () => {
  it('runs at most `limit` authentications at once, the rest in arrival order', async () => {
    const gate = new ConnectGate(2);
    const started: number[] = [];
    const holds = [deferred(), deferred(), deferred()];
    const runs = holds.map((h, i) =>
      gate.run(
        () => false,
        async () => {
          started.push(i);
          await h.promise;
          return i;
        },
      ),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(gate.queued).toBe(1);
    holds[0]?.release();
    await runs[0];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    holds[1]?.release();
    holds[2]?.release();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
  });

  it('never starts the work of a CONNECT whose socket closed while it waited', async () => {
    const gate = new ConnectGate(1);
    const hold = deferred();
    let closed = false;
    let ran = false;
    const first = gate.run(
      () => false,
      () => hold.promise,
    );
    const second = gate.run(
      () => closed,
      async () => {
        ran = true;
      },
    );
    closed = true;
    hold.release();
    await first;
    expect(await second).toBeUndefined();
    expect(ran).toBe(false);
  });
});
