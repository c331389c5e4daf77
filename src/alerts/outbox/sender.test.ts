import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertsUnit, alertsUnit } from '../../../test/fixtures/alerts-unit.ts';
import type { Policy } from '../../domain/escalation.ts';
import { applyTransition } from '../lifecycle.ts';
import { type Notifier, NotifierError, type OutgoingMessage, type SendResult } from '../notifiers/port.ts';
import { fallBackToVoice } from './fallback.ts';
import { MAX_ATTEMPTS, type Notifiers, sendDue } from './sender.ts';

const POLICY: Policy = {
  name: 'sms-only',
  kinds: ['*'],
  steps: [{ afterS: 0, target: 'supervisor', channel: 'sms', untilAcknowledged: true, onDispatch: false }],
};

/** A notifier that answers from a script: an error to throw, or success. */
class Scripted implements Notifier {
  readonly sent: OutgoingMessage[] = [];
  constructor(
    readonly name: string,
    private readonly script: (NotifierError | 'ok')[] = [],
  ) {}
  async send(m: OutgoingMessage): Promise<SendResult> {
    this.sent.push(m);
    const next = this.script.shift() ?? 'ok';
    if (next !== 'ok') throw next;
    return { status: 'sent', providerId: `SM${this.sent.length}`, httpStatus: 201 };
  }
}

const busy = () => new NotifierError('429 too many requests', true, 429);
const rejected = () => new NotifierError('400 not a mobile number', false, 400);

describe('the outbox: retries and SMS → voice fallback (no server, manual clock)', () => {
  let u: AlertsUnit;
  let alarmId: string;
  let notifiers: Notifiers & { sms: Scripted; voice: Scripted };
  const smsOf = async () => (await u.repos.outbox.ofAlarm(alarmId)).find((n) => n.channel === 'sms');

  beforeEach(async () => {
    u = await alertsUnit([POLICY]);
    alarmId = await u.raise(await u.device());
  });
  afterEach(() => u.close());

  const use = (sms: (NotifierError | 'ok')[], voice: (NotifierError | 'ok')[] = []) => {
    notifiers = {
      console: new Scripted('console'),
      sms: new Scripted('sms', sms),
      voice: new Scripted('voice', voice),
      webhook: undefined,
    };
  };

  it('a 429 is retried with growing backoff, and every attempt is recorded', async () => {
    use([busy(), busy(), 'ok']);
    await sendDue(u.ctx, notifiers);
    expect(await smsOf()).toMatchObject({ status: 'retry', attempts: 1, nextAttemptAt: u.clock.now() + 500 });
    u.clock.advance(499);
    await sendDue(u.ctx, notifiers);
    expect(notifiers.sms.sent).toHaveLength(1);
    u.clock.advance(1);
    await sendDue(u.ctx, notifiers);
    expect(await smsOf()).toMatchObject({ status: 'retry', attempts: 2, nextAttemptAt: u.clock.now() + 1000 });
    u.clock.advance(1000);
    await sendDue(u.ctx, notifiers);
    const sms = await smsOf();
    expect(sms).toMatchObject({ status: 'sent', attempts: 3, providerId: 'SM3' });
    expect(sms?.history.map((a) => `${a.attempt}:${a.status}:${a.httpStatus}`)).toEqual(['1:retry:429', '2:retry:429', '3:sent:201']);
    expect(notifiers.voice.sent).toHaveLength(0);
  });

  it('a rejected SMS is not retried: the same person is called instead', async () => {
    use([rejected()]);
    await sendDue(u.ctx, notifiers);
    expect(await smsOf()).toMatchObject({ status: 'failed', attempts: 1 });
    await sendDue(u.ctx, notifiers);
    expect(notifiers.voice.sent).toHaveLength(1);
    expect(notifiers.voice.sent[0]?.address).toBe(notifiers.sms.sent[0]?.address);
    const fallback = (await u.repos.alarms.timeline(alarmId)).find((e) => e.kind === 'fallback_to_voice');
    expect(fallback?.detail).toMatchObject({ reason: 'sms failed' });
  });

  it(`after ${MAX_ATTEMPTS} busy answers the SMS fails and falls back to voice`, async () => {
    use(Array.from({ length: MAX_ATTEMPTS }, busy));
    for (let i = 0; i < MAX_ATTEMPTS; i += 1) {
      await sendDue(u.ctx, notifiers);
      u.clock.advance(60_000);
    }
    expect(await smsOf()).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    await sendDue(u.ctx, notifiers);
    expect(notifiers.voice.sent).toHaveLength(1);
  });

  it('no fallback call once someone acknowledged: paging stopped', async () => {
    use([busy(), rejected()]);
    await sendDue(u.ctx, notifiers);
    await applyTransition(u.ctx, alarmId, { type: 'acknowledge' }, { id: 'usr_op', via: 'api' });
    u.clock.advance(500);
    await sendDue(u.ctx, notifiers);
    expect(notifiers.sms.sent).toHaveLength(1);
    expect((await smsOf())?.status).toBe('cancelled');
    expect(notifiers.voice.sent).toHaveLength(0);
  });

  it('an SMS reported undelivered after the acknowledgement is not followed by a call; before it, it is', async () => {
    use(['ok']);
    await sendDue(u.ctx, notifiers);
    const sms = await smsOf();
    expect(await fallBackToVoice(u.ctx, sms?.id as string, 'sms undelivered')).toMatch(/^ntf/);
    await applyTransition(u.ctx, alarmId, { type: 'acknowledge' }, { id: 'usr_op', via: 'api' });
    expect(await fallBackToVoice(u.ctx, sms?.id as string, 'sms undelivered')).toBeUndefined();
  });
});
