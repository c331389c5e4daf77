import { describe, expect, it } from 'vitest';
import { batteryDrain, type DiagnosisInput, diagnose, formatDuration, rebootLoop, signalQuality } from './diagnosis.ts';
import type { HeartbeatSample } from './heartbeat-sample.ts';

const NOW = Date.UTC(2026, 5, 10, 12);
const H = 3_600_000;

const sample = (hoursAgo: number, battery: number, over: Partial<HeartbeatSample> = {}): HeartbeatSample => ({
  at: NOW - hoursAgo * H,
  receivedAt: NOW - hoursAgo * H,
  battery,
  charging: false,
  network: 'lte',
  rssi: -109,
  bars: null,
  ...over,
});

function input(over: Partial<DiagnosisInput> = {}): DiagnosisInput {
  return {
    now: NOW,
    kind: 'panic_button',
    heartbeatIntervalS: 60,
    liveness: { state: 'online', since: NOW - 10 * H, lastSeenAt: NOW - 30_000 },
    samples: [],
    heartbeats: { received: 1440, expected: 1440, clockSuspect: 0 },
    reboots: [],
    ingestErrors: [],
    ...over,
  };
}

describe('diagnosis', () => {
  it('a battery going from 21 % to 12 % over the last 24 h falls 9 %/day', () => {
    expect(batteryDrain([sample(26, 21), sample(14, 16.5), sample(2, 12)])).toBeCloseTo(9, 5);
  });

  it('drain is measured since the last charge only', () => {
    expect(batteryDrain([sample(30, 5), sample(28, 90, { charging: true }), sample(26, 100), sample(2, 91)])).toBeCloseTo(9, 5);
  });

  it('grades signal: −80 dBm good, −95 fair, −109 poor, −115 very poor', () => {
    expect([-80, -95, -109, -115].map((r) => signalQuality(r, null, 'lte'))).toEqual(['good', 'fair', 'poor', 'very_poor']);
  });

  it('three reboots within an hour are a loop; three in a day are not', () => {
    expect(rebootLoop([NOW - 50 * 60_000, NOW - 20 * 60_000, NOW])).toBe(true);
    expect(rebootLoop([NOW - 20 * H, NOW - 10 * H, NOW])).toBe(false);
  });

  it('formats durations the way a technician reads them', () => {
    expect(formatDuration(2 * H + 14 * 60_000)).toBe('2 h 14 min');
    expect(formatDuration(45 * 60_000)).toBe('45 min');
  });

  it('a silent button with poor signal and a draining battery reads as probably flat', () => {
    const silentSince = NOW - (2 * H + 14 * 60_000);
    const d = diagnose(
      input({
        liveness: { state: 'offline', since: silentSince + 180_000, lastSeenAt: silentSince },
        // 21 % → 12 % in the day before it fell silent: 9 %/day, empty about 1.3 days after.
        samples: [sample(26.23, 21), sample(14.23, 16.5), sample(2.23, 12)],
      }),
    );
    expect(d.battery?.drainPctPerDay).toBe(9);
    expect(d.finding).toBe('silent 2 h 14 min; last signal −109 dBm (poor); battery 12 % falling 9 %/day → probably flat');
  });

  it('a silent device with a healthy battery and poor signal is probably out of coverage', () => {
    const d = diagnose(
      input({ liveness: { state: 'offline', since: NOW - H, lastSeenAt: NOW - 2 * H }, samples: [sample(3, 80), sample(2, 80)] }),
    );
    expect(d.finding).toBe('silent 2 h 0 min; last signal −109 dBm (poor); battery 80 % → probably out of coverage');
  });

  it('a silent device at 4 % battery is probably flat', () => {
    const d = diagnose(
      input({
        liveness: { state: 'offline', since: NOW - H, lastSeenAt: NOW - 2 * H },
        samples: [sample(26, 13, { rssi: -80 }), sample(2, 4, { rssi: -80 })],
      }),
    );
    expect(d.finding).toMatch(/^silent 2 h 0 min; last signal −80 dBm \(good\); battery 4 % falling [\d.]+ %\/day → probably flat$/);
  });

  it('leaves ingest errors out when they are not known', () => {
    expect(diagnose(input({ ingestErrors: null })).ingestErrors).toBeNull();
  });

  it('a satellite phone reports its check-in success and delivery delay', () => {
    const d = diagnose(
      input({
        kind: 'satellite_phone',
        samples: [sample(3, 80, { network: 'iridium', receivedAt: NOW - 3 * H + 600_000, rssi: null, bars: 3 })],
        heartbeats: { received: 150, expected: 168, clockSuspect: 0 },
      }),
    );
    expect(d.satellite).toEqual({ checkInsReceived: 150, checkInsExpected: 168, successRatio: 0.893, medianDelayS: 600 });
  });
});
