import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../platform/index.ts';
import { type PassKind, Pump } from './pump.ts';

/** A pump whose passes are recorded; each pass settles when the test lets it. */
function recordingPump(intervalMs = 200) {
  const passes: PassKind[] = [];
  let release: (() => void) | undefined;
  const pump = new Pump(
    (kind) => {
      passes.push(kind);
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    },
    createLogger({ level: 'silent' }),
    intervalMs,
  );
  const finishPass = async () => {
    release?.();
    release = undefined;
    await vi.advanceTimersByTimeAsync(0);
  };
  return { pump, passes, finishPass };
}

describe('the alerts pump', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps its full pass on schedule however many outbox kicks arrive: later escalation steps are never postponed', async () => {
    vi.useFakeTimers();
    const { pump, passes, finishPass } = recordingPump(200);
    pump.start();
    await finishPass();
    expect(passes).toEqual(['full']);
    // An alarm every 50 ms, each kicking the outbox, for a whole poll interval and more.
    for (let t = 0; t < 4; t++) {
      await vi.advanceTimersByTimeAsync(50);
      pump.kick('outbox');
      await finishPass();
    }
    await vi.advanceTimersByTimeAsync(10);
    expect(passes.filter((k) => k === 'full')).toHaveLength(2);
    expect(passes.filter((k) => k === 'outbox')).toHaveLength(4);
    const stopped = pump.stop();
    await finishPass();
    await stopped;
  });

  it('coalesces kicks during a pass into one more pass, a full one if any kick asked for it', async () => {
    vi.useFakeTimers();
    const { pump, passes, finishPass } = recordingPump(10_000);
    pump.kick('outbox');
    pump.kick('outbox');
    pump.kick('full');
    pump.kick('outbox');
    await finishPass();
    await finishPass();
    expect(passes).toEqual(['outbox', 'full']);
    const stopped = pump.stop();
    await finishPass();
    await stopped;
  });
});
