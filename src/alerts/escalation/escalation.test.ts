import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertsUnit, alertsUnit } from '../../../test/fixtures/alerts-unit.ts';
import type { Policy } from '../../domain/escalation.ts';
import { applyTransition } from '../lifecycle.ts';
import { runDueSteps } from './due-steps.ts';

const step = (s: Partial<Policy['steps'][number]> & Pick<Policy['steps'][number], 'afterS' | 'target' | 'channel'>) => ({
  untilAcknowledged: true,
  onDispatch: false,
  ...s,
});

const POLICY: Policy = {
  name: 'unit',
  kinds: ['*'],
  steps: [
    step({ afterS: 0, target: 'operators', channel: 'console', repeatS: 60 }),
    step({ afterS: 30, target: 'supervisor', channel: 'sms' }),
    step({ afterS: 0, target: 'contacts', channel: 'sms', repeatS: 120, untilAcknowledged: false }),
  ],
};

describe('escalation stepping (no server, manual clock)', () => {
  let u: AlertsUnit;
  let alarmId: string;
  beforeEach(async () => {
    u = await alertsUnit([POLICY]);
    alarmId = await u.raise(await u.device());
  });
  afterEach(() => u.close());

  const at = async (seconds: number) => {
    u.clock.set(u.clock.now() + seconds * 1000);
    await runDueSteps(u.ctx);
  };

  it('pages the console and the contacts in the commit that opens the alarm, and the supervisor only when its 30 s are up', async () => {
    expect(await u.pages(alarmId)).toEqual(['contacts/sms', 'operators/console']);
    await at(29);
    expect(await u.pages(alarmId)).toEqual(['contacts/sms', 'operators/console']);
    await at(1);
    expect(await u.pages(alarmId)).toEqual(['contacts/sms', 'operators/console', 'supervisor/console', 'supervisor/sms']);
  });

  it('repeats a step every repeatS while nobody acknowledges, and a step late by a long outage fires once, not once per missed minute', async () => {
    await at(30);
    await at(30);
    expect((await u.pages(alarmId)).filter((p) => p === 'operators/console')).toHaveLength(2);
    await at(600);
    const consoleNow = (await u.pages(alarmId)).filter((p) => p === 'operators/console').length;
    expect(consoleNow).toBe(3);
    await at(59);
    expect((await u.pages(alarmId)).filter((p) => p === 'operators/console')).toHaveLength(3);
    await at(1);
    expect((await u.pages(alarmId)).filter((p) => p === 'operators/console')).toHaveLength(4);
  });

  it('an acknowledgement stops the staff steps and cancels queued staff messages, while the step marked untilAcknowledged: false keeps running', async () => {
    await applyTransition(u.ctx, alarmId, { type: 'acknowledge' }, { id: 'usr_op', via: 'api' });
    await at(30);
    expect(await u.pages(alarmId)).toEqual(['contacts/sms', 'operators/console']);
    const statuses = (await u.repos.outbox.ofAlarm(alarmId)).map((n) => `${n.target}:${n.status}`).sort();
    expect(statuses).toEqual(['contacts:queued', 'operators:cancelled']);
    await at(90);
    expect(await u.pages(alarmId)).toEqual(['contacts/sms', 'contacts/sms', 'operators/console']);
    const timeline = (await u.repos.alarms.timeline(alarmId)).map((e) => e.kind);
    expect(timeline).toContain('paging_stopped');
  });

  it('a resolution stops every step, even those that run past an acknowledgement', async () => {
    await applyTransition(u.ctx, alarmId, { type: 'resolve', outcome: 'false_alarm' }, { id: 'usr_op', via: 'api' });
    await at(600);
    expect(await u.pages(alarmId)).toEqual(['contacts/sms', 'operators/console']);
  });

  it('runs the policy copied onto the alarm when it opened: editing the policy afterwards changes nothing for it', async () => {
    u.ctx.policies = [{ ...POLICY, name: 'edited', steps: [step({ afterS: 0, target: 'operators', channel: 'console' })] }];
    await at(30);
    expect(await u.pages(alarmId)).toEqual(['contacts/sms', 'operators/console', 'supervisor/console', 'supervisor/sms']);
    expect((await u.repos.alarms.require(alarmId)).policy?.name).toBe('unit');
    // A new alarm takes the policy in force now.
    const second = await u.raise(await u.device());
    expect((await u.repos.alarms.require(second)).policy?.name).toBe('edited');
  });

  it('a test alarm runs the whole path but pages no contact', async () => {
    const testAlarm = await u.raise(await u.device(), 'test', true);
    expect(await u.pages(testAlarm)).toEqual(['operators/console']);
    const skipped = (await u.repos.alarms.timeline(testAlarm)).filter((e) => e.kind === 'step_skipped');
    expect(skipped[0]?.detail).toMatchObject({ target: 'contacts' });
  });
});
