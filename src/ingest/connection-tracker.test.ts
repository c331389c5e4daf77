import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../events/index.ts';
import { createLogger } from '../platform/index.ts';
import { ConnectionTracker } from './connection-tracker.ts';

describe('connection changes', () => {
  afterEach(() => vi.useRealTimers());

  it('are announced together after the batch window, once per change, in the order they happened', () => {
    vi.useFakeTimers();
    const bus = new EventBus(createLogger({ level: 'silent' }));
    const seen: string[] = [];
    bus.on('device.connected', (e) => {
      seen.push(`+${e.deviceId}`);
    });
    bus.on('device.disconnected', (e) => {
      seen.push(`-${e.deviceId}${e.lastWill ? ' (will)' : ''}`);
    });
    const tracker = new ConnectionTracker(bus, 100);
    tracker.connected('a', 1);
    tracker.connected('b', 2);
    tracker.connected('a', 3);
    tracker.disconnected('a', 4, true);
    tracker.disconnected('a', 5, true);
    tracker.connected('a', 6);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual(['+a', '+b', '-a (will)', '+a']);
  });

  it('forget a device another node saw leave, so its next connection is news here, unless this node heard of a newer one', () => {
    vi.useFakeTimers();
    const bus = new EventBus(createLogger({ level: 'silent' }));
    const seen: string[] = [];
    bus.on('device.connected', (e) => {
      seen.push(`+${e.deviceId}@${e.at}`);
    });
    const tracker = new ConnectionTracker(bus, 100);
    tracker.connected('a', 10);
    tracker.connected('b', 30);
    // Another node handled both wills, received at 20.
    tracker.forget('a', 20);
    tracker.forget('b', 20);
    tracker.connected('a', 40);
    tracker.connected('b', 50);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual(['+a@10', '+b@30', '+a@40']);
    expect(tracker.isOnline('b')).toBe(true);
  });
});
