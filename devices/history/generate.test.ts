import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_PATH, loadScenario } from '../index.ts';
import { generateHistory } from './generate.ts';

const END = Date.parse('2026-11-01T00:00:00Z');

describe('a year of simulated history', async () => {
  const scenario = await loadScenario(DEFAULT_SCENARIO_PATH);
  const history = generateHistory(scenario, scenario.seed, END);

  it('is the same year for the same scenario and seed, and another for another seed', () => {
    expect(generateHistory(scenario, scenario.seed, END)).toEqual(history);
    expect(generateHistory(scenario, scenario.seed + 1, END).alarms).not.toEqual(history.alarms);
  });

  it('covers each device from installation to the end with contiguous, non-overlapping intervals', () => {
    const byDevice = new Map<string, typeof history.intervals>();
    for (const i of history.intervals) byDevice.set(i.deviceId, [...(byDevice.get(i.deviceId) ?? []), i]);
    expect(byDevice.size).toBe(scenario.beneficiaries.flatMap((b) => b.devices).length);
    for (const [deviceId, intervals] of byDevice) {
      const start = Math.max(history.installedAt[deviceId] ?? 0, history.from);
      expect(intervals[0]?.startedAt).toBe(start);
      expect(intervals.at(-1)?.endedAt).toBe(END);
      for (let k = 1; k < intervals.length; k++) {
        expect(intervals[k]?.startedAt).toBe(intervals[k - 1]?.endedAt);
        expect(intervals[k]?.state).not.toBe(intervals[k - 1]?.state);
      }
    }
  });

  it('handles each alarm in order, inside the year, with an outcome that fits its path', () => {
    expect(history.alarms.length).toBeGreaterThan(50);
    for (const a of history.alarms) {
      const times = [a.raisedAt, a.acknowledgedAt, a.dispatchedAt, a.onSceneAt, a.resolvedAt].filter((t): t is number => t !== null);
      expect([...times].sort((x, y) => x - y)).toEqual(times);
      expect(a.raisedAt).toBeGreaterThanOrEqual(history.from);
      expect(a.resolvedAt).toBeLessThan(END);
      if (a.outcome === 'genuine') expect(a.dispatchedAt).not.toBeNull();
      if (a.test) expect(['test', 'technical']).toContain(a.outcome);
    }
    expect(new Set(history.alarms.map((a) => a.outcome))).toEqual(new Set(['genuine', 'false_alarm', 'test', 'technical']));
  });

  it('gives the remote mountain satellite phone far less availability than a city panic button', () => {
    const availability = (deviceId: string) => {
      const own = history.intervals.filter((i) => i.deviceId === deviceId);
      const total = own.reduce((s, i) => s + i.endedAt - i.startedAt, 0);
      return own.filter((i) => i.state === 'online').reduce((s, i) => s + i.endedAt - i.startedAt, 0) / total;
    };
    const devices = scenario.beneficiaries.flatMap((b) => b.devices);
    const mountain = devices.find((d) => d.terrain === 'mountain');
    const city = devices.find((d) => d.model === 'panic-button' && !d.diesAfterS && !d.disconnects);
    expect(mountain && city).toBeTruthy();
    expect(availability(mountain?.id ?? '')).toBeLessThan(availability(city?.id ?? '') - 0.1);
  });
});
