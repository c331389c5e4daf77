import { describe, expect, it } from 'vitest';
import { initialLiveness, type Liveness, type LivenessInput, type SupervisionWindow, stepLiveness } from './liveness.ts';

// Panic button from the catalogue: heartbeat every 60 s, offline after 180 s; grace 60 s.
const W: SupervisionWindow = { heartbeatIntervalS: 60, offlineAfterS: 180, graceS: 60 };
const T0 = Date.UTC(2026, 0, 1);
const S = 1000;

function run(steps: [number, LivenessInput][], start: Liveness = initialLiveness(T0)) {
  let state = start;
  const effects = [];
  for (const [at, input] of steps) {
    const step = stepLiveness(state, input, at, W);
    state = step.state;
    effects.push(...step.effects);
  }
  return { state, effects };
}

/** Fires every deadline that is due by `until`, as the supervisor's timer would. */
function tickUntil(s: Liveness, until: number): Liveness {
  let state = s;
  while (state.deadline && state.deadline.at <= until) state = stepLiveness(state, { type: 'deadline' }, state.deadline.at, W).state;
  return state;
}

describe('device liveness', () => {
  it('goes online at the first heartbeat', () => {
    const { state, effects } = run([[T0, { type: 'seen' }]]);
    expect(state.state).toBe('online');
    expect(effects).toEqual([{ type: 'transition', from: 'never_seen', to: 'online', at: T0 }]);
  });

  it('is late after one and a half missed intervals (90 s), still online at 89 s', () => {
    const { state } = run([[T0, { type: 'seen' }]]);
    expect(state.deadline).toEqual({ kind: 'late', at: T0 + 90 * S });
    expect(tickUntil(state, T0 + 89 * S).state).toBe('online');
    expect(tickUntil(state, T0 + 90 * S).state).toBe('late');
  });

  it('is offline exactly at the window (180 s after the last heartbeat), well within window + 1 s', () => {
    const { state } = run([[T0, { type: 'seen' }]]);
    expect(tickUntil(state, T0 + 179 * S).state).toBe('late');
    const offline = tickUntil(state, T0 + 180 * S);
    expect(offline.state).toBe('offline');
    expect(offline.since).toBe(T0 + 180 * S);
    expect(offline.since).toBeLessThanOrEqual(T0 + 181 * S);
  });

  it('says the device went silent when it goes offline, with when it was last heard', () => {
    const late = tickUntil(run([[T0, { type: 'seen' }]]).state, T0 + 90 * S);
    const step = stepLiveness(late, { type: 'deadline' }, T0 + 180 * S, W);
    expect(step.effects).toContainEqual({ type: 'silent', at: T0 + 180 * S, lastSeenAt: T0 });
  });

  it('recovers from offline at the next heartbeat and says how long it was silent', () => {
    const offline = tickUntil(run([[T0, { type: 'seen' }]]).state, T0 + 180 * S);
    const step = stepLiveness(offline, { type: 'seen' }, T0 + 600 * S, W);
    expect(step.state.state).toBe('online');
    expect(step.effects).toContainEqual({ type: 'recovered', at: T0 + 600 * S, silentForMs: 420 * S });
  });

  it('a late device that beats again is online without an offline episode', () => {
    const late = tickUntil(run([[T0, { type: 'seen' }]]).state, T0 + 100 * S);
    const step = stepLiveness(late, { type: 'seen' }, T0 + 120 * S, W);
    expect(step.state.state).toBe('online');
    expect(step.effects).toEqual([{ type: 'transition', from: 'late', to: 'online', at: T0 + 120 * S }]);
  });

  it('a last will moves the device to disconnected, then offline once the grace (60 s) runs out', () => {
    const { state } = run([
      [T0, { type: 'seen' }],
      [T0 + 10 * S, { type: 'last_will' }],
    ]);
    expect(state.state).toBe('disconnected');
    expect(tickUntil(state, T0 + 69 * S).state).toBe('disconnected');
    expect(tickUntil(state, T0 + 70 * S).state).toBe('offline');
  });

  it('a device back within the grace is online and never offline', () => {
    const { state, effects } = run([
      [T0, { type: 'seen' }],
      [T0 + 10 * S, { type: 'last_will' }],
      [T0 + 40 * S, { type: 'seen' }],
    ]);
    expect(state.state).toBe('online');
    expect(effects.some((e) => e.type === 'silent')).toBe(false);
  });

  it('after a restart of Centinela, an online device gets a fresh window instead of going offline at once', () => {
    const { state } = run([[T0, { type: 'seen' }]]);
    // Centinela was down for an hour; the old deadlines are long past.
    const restartAt = T0 + 3600 * S;
    const fresh = stepLiveness(state, { type: 'restarted' }, restartAt, W);
    expect(fresh.effects).toEqual([]);
    expect(fresh.state.state).toBe('online');
    expect(tickUntil(fresh.state, restartAt + 179 * S).state).toBe('late');
    expect(tickUntil(fresh.state, restartAt + 180 * S).state).toBe('offline');
  });

  it('a device offline before the restart stays offline (its episode continues)', () => {
    const offline = tickUntil(run([[T0, { type: 'seen' }]]).state, T0 + 180 * S);
    expect(stepLiveness(offline, { type: 'restarted' }, T0 + 3600 * S, W).state).toEqual(offline);
  });

  it('in maintenance no deadline runs; after it the device has a fresh window', () => {
    const { state } = run([
      [T0, { type: 'seen' }],
      [T0 + 5 * S, { type: 'maintenance_started' }],
    ]);
    expect(state.state).toBe('maintenance');
    expect(state.deadline).toBeNull();
    const after = stepLiveness(state, { type: 'maintenance_ended' }, T0 + 7200 * S, W).state;
    expect(after.state).toBe('late');
    expect(after.deadline).toEqual({ kind: 'offline', at: T0 + 7200 * S + 180 * S });
  });

  it('a retired device stays retired whatever it sends', () => {
    const retired = run([
      [T0, { type: 'seen' }],
      [T0 + S, { type: 'retired' }],
      [T0 + 2 * S, { type: 'seen' }],
    ]).state;
    expect(retired.state).toBe('retired');
  });

  it('a deadline that fires early (a stale timer) changes nothing', () => {
    const { state } = run([[T0, { type: 'seen' }]]);
    expect(stepLiveness(state, { type: 'deadline' }, T0 + 10 * S, W)).toEqual({ state, effects: [] });
  });
  it('is never declared silent while its protocol gateway is down, and gets a fresh window when it is back', () => {
    const down = run([
      [T0, { type: 'seen' }],
      [T0 + 30 * S, { type: 'path_down' }],
    ]);
    expect(down.state.state).toBe('gateway_down');
    expect(down.state.deadline).toBeNull();
    // An hour later nothing has fired: the device is not the one that went quiet.
    expect(tickUntil(down.state, T0 + 3_600 * S).state).toBe('gateway_down');
    expect(down.effects.filter((e) => e.type === 'silent')).toEqual([]);

    const back = stepLiveness(down.state, { type: 'path_up' }, T0 + 3_600 * S, W);
    expect(back.state.state).toBe('late');
    expect(back.state.deadline).toEqual({ kind: 'offline', at: T0 + 3_780 * S });
    // Still not heard a full window after the gateway returned: now it is silent.
    const after = stepLiveness(back.state, { type: 'deadline' }, T0 + 3_780 * S, W);
    expect(after.state.state).toBe('offline');
    expect(after.effects).toContainEqual({ type: 'silent', at: T0 + 3_780 * S, lastSeenAt: T0 });
  });

  it('a device already silent when its gateway goes down stays offline, and one heard meanwhile is online', () => {
    const silent = tickUntil(run([[T0, { type: 'seen' }]]).state, T0 + 180 * S);
    expect(stepLiveness(silent, { type: 'path_down' }, T0 + 200 * S, W).state.state).toBe('offline');
    const down = run([
      [T0, { type: 'seen' }],
      [T0 + 10 * S, { type: 'path_down' }],
      [T0 + 20 * S, { type: 'seen' }],
    ]);
    expect(down.state.state).toBe('online');
  });
});
