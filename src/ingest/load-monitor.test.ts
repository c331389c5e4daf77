import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoadMonitor } from './load-monitor.ts';

afterEach(() => vi.useRealTimers());

/** Lets one tick fire `lateBy` ms after it was due, as a blocked event loop would. */
function tick(lateBy: number) {
  vi.setSystemTime(Date.now() + lateBy);
  vi.advanceTimersByTime(50);
}

describe('the load monitor', () => {
  it('enters overload after three late ticks running, not after one long pause', () => {
    vi.useFakeTimers();
    const changes: boolean[] = [];
    const m = new LoadMonitor(undefined, (o) => changes.push(o));
    tick(1_000);
    tick(0);
    expect(m.isOverloaded()).toBe(false);
    tick(300);
    tick(300);
    tick(300);
    expect(m.isOverloaded()).toBe(true);
    // Leaves only after a calm second.
    for (let i = 0; i < 10; i++) tick(0);
    expect(m.isOverloaded()).toBe(true);
    for (let i = 0; i < 15; i++) tick(0);
    expect(m.isOverloaded()).toBe(false);
    expect(changes).toEqual([true, false]);
    m.stop();
  });

  it('counts outside pressure (a telemetry store that cannot keep up) as overload', () => {
    vi.useFakeTimers();
    let full = true;
    const m = new LoadMonitor(
      undefined,
      () => {},
      () => full,
    );
    tick(0);
    expect(m.isOverloaded()).toBe(true);
    full = false;
    for (let i = 0; i < 25; i++) tick(0);
    expect(m.isOverloaded()).toBe(false);
    m.stop();
  });
});
