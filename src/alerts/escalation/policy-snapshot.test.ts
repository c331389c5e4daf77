import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertsUnit, alertsUnit } from '../../../test/fixtures/alerts-unit.ts';
import type { Policy } from '../../domain/escalation.ts';
import { runDueSteps } from './due-steps.ts';

const step = (s: Partial<Policy['steps'][number]> & Pick<Policy['steps'][number], 'afterS' | 'target' | 'channel'>) => ({
  untilAcknowledged: true,
  onDispatch: false,
  ...s,
});

/** The policy in force when the alarm opened: console now, supervisor by SMS at 30 s. */
const BEFORE: Policy = {
  name: 'centre',
  kinds: ['*'],
  steps: [step({ afterS: 0, target: 'operators', channel: 'console' }), step({ afterS: 30, target: 'supervisor', channel: 'sms' })],
};
/** The same policy edited (and the centre restarted) while the alarm runs: no supervisor at all. */
const AFTER: Policy = { name: 'centre', kinds: ['*'], steps: [step({ afterS: 0, target: 'operators', channel: 'console', repeatS: 10 })] };

describe('the policy snapshot: editing a policy never changes a running escalation (issue 14 §7)', () => {
  let u: AlertsUnit;
  beforeEach(async () => {
    u = await alertsUnit([BEFORE]);
  });
  afterEach(() => u.close());

  it('an alarm opened under the old policy still pages the supervisor at 30 s; a new alarm follows the new policy', async () => {
    const device = await u.device();
    const running = await u.raise(device);
    expect((await u.repos.alarms.require(running)).policy?.steps).toHaveLength(2);

    u.ctx.policies = [AFTER];
    u.clock.advance(31_000);
    await runDueSteps(u.ctx);
    expect(await u.pages(running)).toEqual(['operators/console', 'supervisor/console', 'supervisor/sms']);

    const fresh = await u.raise(await u.device());
    u.clock.advance(31_000);
    await runDueSteps(u.ctx);
    expect((await u.pages(fresh)).filter((p) => p.startsWith('supervisor'))).toEqual([]);
    // The running alarm's policy on record is still the one it opened with.
    expect((await u.repos.alarms.require(running)).policy).toEqual(BEFORE);
  });
});
