import { describe, expect, it } from 'vitest';
import type { AlarmPress, PressOutcome } from '../store/index.ts';
import { AlarmCommits, type PressWriter } from './alarm-commits.ts';

const press = (deviceAlarmId: string): AlarmPress => ({
  deviceId: 'pb-1',
  deviceAlarmId,
  kind: 'panic',
  test: false,
  raisedAt: 1,
  receivedAt: 1,
  clockSuspect: false,
  beneficiaryId: null,
});

/** A store that records each commit's presses and refuses the ids it is told to. */
function fakeStore(refuse: Set<string> = new Set()): PressWriter & { commits: string[][] } {
  const commits: string[][] = [];
  return {
    commits,
    async recordMany(presses) {
      if (presses.some((p) => refuse.has(p.deviceAlarmId))) throw new Error('refused');
      commits.push(presses.map((p) => p.deviceAlarmId));
      return presses.map(
        (p): PressOutcome => ({ outcome: 'opened', alarmId: `alm-${p.deviceAlarmId}`, severity: 'critical', pressCount: 1 }),
      );
    },
  };
}

describe('alarm group commit', () => {
  it('stores presses that arrive together in one commit, and answers each with its own outcome', async () => {
    const store = fakeStore();
    const commits = new AlarmCommits(store);
    const outcomes = await Promise.all(['a', 'b', 'c'].map((id) => commits.submit(press(id))));
    expect(store.commits).toEqual([['a', 'b', 'c']]);
    expect(outcomes.map((o) => o.alarmId)).toEqual(['alm-a', 'alm-b', 'alm-c']);
  });

  it('a press refused by the store fails alone; the others of its batch are stored', async () => {
    const store = fakeStore(new Set(['bad']));
    const commits = new AlarmCommits(store);
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((id) => commits.submit(press(id))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(store.commits).toEqual([['a'], ['c']]);
  });
});
