import { describe, expect, it } from 'vitest';
import { alarmIdTime } from './device-intake.ts';

const NOW = Date.UTC(2026, 10, 30, 8, 0, 0);

describe('the time part of a protocol alarm id', () => {
  it('is the device time when the device clock is plausible (a retransmission carries the same)', () => {
    expect(alarmIdTime(NOW - 20_000, NOW)).toBe(String(NOW - 20_000));
  });

  it('is a 10-minute window of receive time when the device has no clock (GPS not fixed: year 2000)', () => {
    const noClock = Date.UTC(2000, 0, 1);
    expect(alarmIdTime(noClock, NOW)).toBe(alarmIdTime(noClock, NOW + 60_000));
    // A new SOS after a reboot (same restarted serial, same constant time) an hour later is a new id.
    expect(alarmIdTime(noClock, NOW + 3_600_000)).not.toBe(alarmIdTime(noClock, NOW));
  });
});
