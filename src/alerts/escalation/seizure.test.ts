import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertsUnit, alertsUnit } from '../../../test/fixtures/alerts-unit.ts';
import { checkSeizure } from './seizure.ts';

const MIN = 60_000;

describe('the seizure rule: silence, tamper or power loss soon after an alarm (no server, manual clock)', () => {
  let u: AlertsUnit;
  let deviceId: string;
  let alarmId: string;
  beforeEach(async () => {
    u = await alertsUnit();
    deviceId = await u.device();
    alarmId = await u.raise(deviceId);
  });
  afterEach(() => u.close());

  for (const signal of ['silent', 'tamper', 'power_lost'] as const) {
    it(`${signal} 14 minutes after an alarm raises it to critical and pages the supervisor`, async () => {
      u.clock.advance(14 * MIN);
      expect(await checkSeizure(u.ctx, deviceId, undefined, signal, u.clock.now())).toEqual([alarmId]);
      expect((await u.repos.alarms.require(alarmId)).severity).toBe('critical');
      const seizurePages = (await u.repos.outbox.ofAlarm(alarmId)).filter((n) => n.template === 'seizure');
      expect(seizurePages.map((n) => `${n.recipientType}/${n.channel}`).sort()).toEqual(['console/console', 'user/sms']);
      const raised = (await u.repos.alarms.timeline(alarmId)).find((e) => e.kind === 'severity_raised');
      expect(raised?.detail).toMatchObject({ to: 'critical', reason: `possible seizure: device ${signal}` });
    });
  }

  it('the same signal 16 minutes after the alarm changes nothing', async () => {
    u.clock.advance(16 * MIN);
    expect(await checkSeizure(u.ctx, deviceId, undefined, 'silent', u.clock.now())).toEqual([]);
    expect((await u.repos.alarms.require(alarmId)).severity).toBe('high');
    expect((await u.repos.outbox.ofAlarm(alarmId)).filter((n) => n.template === 'seizure')).toEqual([]);
  });

  it('a signal from another device of the same person counts; a second signal does not page twice', async () => {
    const other = await u.device();
    u.clock.advance(5 * MIN);
    expect(await checkSeizure(u.ctx, other, undefined, 'tamper', u.clock.now())).toEqual([alarmId]);
    expect(await checkSeizure(u.ctx, other, undefined, 'power_lost', u.clock.now())).toEqual([]);
    expect((await u.repos.outbox.ofAlarm(alarmId)).filter((n) => n.template === 'seizure')).toHaveLength(2);
  });

  it('a signal from before the alarm is not a seizure', async () => {
    expect(await checkSeizure(u.ctx, deviceId, undefined, 'silent', u.clock.now() - MIN)).toEqual([]);
  });
});
