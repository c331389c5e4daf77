import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AlertsUnit, alertsUnit, corrupt, stepId } from '../../test/fixtures/alerts-unit.ts';
import type { Policy } from '../domain/escalation.ts';
import { AlarmQueries } from './alarm-queries.ts';
import { runDueSteps } from './escalation/due-steps.ts';
import { ConsoleOutboxNotifier } from './notifiers/console-outbox.ts';
import { sendDue } from './outbox/sender.ts';

const POLICY: Policy = {
  name: 'unit',
  kinds: ['*'],
  steps: [
    { afterS: 0, target: 'operators', channel: 'console', untilAcknowledged: true, onDispatch: false },
    { afterS: 30, target: 'supervisor', channel: 'sms', untilAcknowledged: true, onDispatch: false },
  ],
};
const admin = { id: 'usr_admin', role: 'admin' as const };

/** What a logged bad row says: the table, the row and the field. */
const namedIn = (u: AlertsUnit) => u.errors.mock.calls.map(([fields]) => fields as Record<string, unknown>).filter((f) => f.table);

describe('a row that does not match its domain type is caught at the store and named; the other alarms carry on', () => {
  let u: AlertsUnit;
  let bad: string;
  let good: string;
  beforeEach(async () => {
    u = await alertsUnit([POLICY]);
    bad = await u.raise(await u.device());
    good = await u.raise(await u.device());
  });
  afterEach(() => u.close());

  it('an unknown state and corrupt policy JSON are errors naming the table, the id and the field', async () => {
    corrupt(u.store, 'alarms', 'state', bad, 'exploded');
    await expect(u.repos.alarms.get(bad)).rejects.toMatchObject({
      code: 'CENTINELA_ERR_STORE_BAD_ROW',
      details: { table: 'alarms', id: bad, field: 'state' },
      message: expect.stringMatching(/^alarms ".+": field state is unreadable/),
    });
    corrupt(u.store, 'alarms', 'state', bad, 'open');
    corrupt(u.store, 'alarms', 'policy', bad, '{"name": "unit", "steps": [');
    await expect(u.repos.alarms.get(bad)).rejects.toMatchObject({ details: { table: 'alarms', id: bad, field: 'policy' } });
  });

  it('the due-step loop skips and logs an alarm whose row is unreadable, pages the others, and pages it once the row is repaired', async () => {
    corrupt(u.store, 'alarms', 'state', bad, 'exploded');
    u.clock.advance(30_000);
    await runDueSteps(u.ctx);
    expect(await u.pages(good)).toEqual(['operators/console', 'supervisor/console', 'supervisor/sms']);
    expect(await u.pages(bad)).toEqual(['operators/console']);
    expect(namedIn(u)).toContainEqual(expect.objectContaining({ table: 'alarms', id: bad, field: 'state' }));
    // Set aside, not dropped: repaired, it is paged at the next retry.
    corrupt(u.store, 'alarms', 'state', bad, 'open');
    u.clock.advance(60_000);
    await runDueSteps(u.ctx);
    expect(await u.pages(bad)).toEqual(['operators/console', 'supervisor/console', 'supervisor/sms']);
  });

  it('a corrupt step is logged by table, id and field, and the steps of other alarms still fire', async () => {
    const broken = await stepId(u, bad, 1);
    corrupt(u.store, 'alarm_steps', 'step', broken, 'not json');
    u.clock.advance(30_000);
    await runDueSteps(u.ctx);
    expect(await u.pages(good)).toEqual(['operators/console', 'supervisor/console', 'supervisor/sms']);
    expect(namedIn(u)).toContainEqual(expect.objectContaining({ table: 'alarm_steps', id: broken, field: 'step' }));
  });

  it('the open-alarms list leaves out and logs the unreadable alarm and lists the others', async () => {
    corrupt(u.store, 'alarms', 'severity', bad, 'apocalyptic');
    const listed = await new AlarmQueries(u.ctx).list(admin, { open: true });
    expect(listed.map((a) => a.id)).toEqual([good]);
    expect(namedIn(u)).toContainEqual(expect.objectContaining({ table: 'alarms', id: bad, field: 'severity' }));
  });

  it('an outbox message with an unknown channel is set aside as failed; the other messages are sent', async () => {
    const [unreadable] = await u.repos.outbox.ofAlarm(bad);
    corrupt(u.store, 'notifications', 'channel', unreadable?.id as string, 'pigeon');
    const shown: string[] = [];
    const consoleOutbox = new ConsoleOutboxNotifier((m) => shown.push(m.alarmId));
    await sendDue(u.ctx, { console: consoleOutbox, sms: consoleOutbox, voice: consoleOutbox, webhook: undefined });
    expect(shown).toEqual([good]);
    expect(namedIn(u)).toContainEqual(expect.objectContaining({ table: 'notifications', id: unreadable?.id, field: 'channel' }));
    expect(await u.repos.outbox.claimDue(u.clock.now() + 60_000, 15_000, 50)).toEqual({ items: [], bad: [] });
  });
});

describe('a corrupt list of presumed aggressors (P4)', () => {
  const RESPONDER: Policy = {
    name: 'responder',
    kinds: ['*'],
    steps: [
      { afterS: 0, target: 'operators', channel: 'console', untilAcknowledged: true, onDispatch: false },
      { afterS: 60, target: 'responder', channel: 'sms', untilAcknowledged: true, onDispatch: false },
    ],
  };

  it('still pages the console at once; at the responder step no responder is paged and the supervisor is, with the reason', async () => {
    const u = await alertsUnit([RESPONDER]);
    try {
      await u.repos.responders.create(admin, {
        name: 'Policía Municipal de Xalapa',
        kind: 'municipal_police',
        stateCode: 'VER',
        municipality: 'Xalapa',
        phone: '+525550000301',
        escalationOrder: 0,
        language: 'es',
      });
      corrupt(u.store, 'beneficiaries', 'presumed_aggressors', u.beneficiaryId, '[{"type": "authority"');
      const alarmId = await u.raise(await u.device());
      expect(await u.pages(alarmId)).toEqual(['operators/console']);
      u.clock.advance(60_000);
      await runDueSteps(u.ctx);
      expect(await u.pages(alarmId)).toEqual(['operators/console', 'responder/console', 'responder/sms']);
      const notifications = await u.repos.outbox.ofAlarm(alarmId);
      expect(notifications.filter((n) => n.recipientType === 'responder')).toEqual([]);
      expect(notifications.find((n) => n.channel === 'sms')?.template).toBe('noSafeResponder');
      const note = (await u.repos.alarms.timeline(alarmId)).find((e) => e.kind === 'no_safe_responder');
      expect(note?.detail).toMatchObject({ reason: 'presumed aggressors unreadable' });
    } finally {
      await u.close();
    }
  });
});

describe('a first step that cannot fire (P1)', () => {
  const POLICY_AT_ONCE: Policy = {
    name: 'at-once',
    kinds: ['*'],
    steps: [
      { afterS: 0, target: 'operators', channel: 'console', untilAcknowledged: true, onDispatch: false },
      { afterS: 0, target: 'supervisor', channel: 'sms', untilAcknowledged: true, onDispatch: false },
    ],
  };

  it('does not keep the escalation from starting: the console is paged by the due-step loop and the failing step is retried', async () => {
    const u = await alertsUnit([POLICY_AT_ONCE]);
    try {
      const staffPhones = vi.spyOn(u.repos.recipients, 'staffPhones');
      // Fails when the alarm opens, in the loop's batch, and in its one-by-one retry.
      for (let i = 0; i < 3; i += 1) staffPhones.mockRejectedValueOnce(new Error('connection reset'));
      // On SQLite the opening reads them from memory first (src/alerts/escalation/open-alarm-sqlite.ts):
      // it fails there too, and the opening falls back to the path above.
      const registry = u.repos.sqliteAlarmOpening()?.registry;
      if (registry)
        vi.spyOn(registry, 'staffPhones').mockImplementationOnce(() => {
          throw new Error('connection reset');
        });
      const alarmId = await u.raise(await u.device());
      expect((await u.repos.alarms.require(alarmId)).policy?.name).toBe('at-once');
      await runDueSteps(u.ctx);
      expect(await u.pages(alarmId)).toEqual(['operators/console']);
      u.clock.advance(60_000);
      await runDueSteps(u.ctx);
      expect(await u.pages(alarmId)).toEqual(['operators/console', 'supervisor/console', 'supervisor/sms']);
    } finally {
      await u.close();
    }
  });
});
