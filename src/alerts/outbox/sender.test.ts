import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertsUnit, alertsUnit } from '../../../test/fixtures/alerts-unit.ts';
import type { Policy } from '../../domain/escalation.ts';
import { applyTransition } from '../lifecycle.ts';
import { type Notifier, NotifierError, type OutgoingMessage, type SendResult } from '../notifiers/port.ts';
import { fallBackToVoice } from './fallback.ts';
import { DEFAULT_PAGING, FALLBACK_AFTER, type Notifiers, sendDue as sendDueJittered } from './sender.ts';

/** Without jitter, so the backoff can be asserted to the millisecond. */
const sendDue: typeof sendDueJittered = (ctx, notifiers) => sendDueJittered(ctx, notifiers, 50, { random: () => 0 });

const POLICY: Policy = {
  name: 'sms-only',
  kinds: ['*'],
  steps: [{ afterS: 0, target: 'supervisor', channel: 'sms', untilAcknowledged: true, onDispatch: false }],
};

/** A notifier that answers from a script: an error to throw, or success. */
class Scripted implements Notifier {
  readonly sent: OutgoingMessage[] = [];
  lookup?: (m: OutgoingMessage, since: number) => Promise<SendResult | null>;
  constructor(
    readonly name: string,
    private readonly script: (NotifierError | 'ok')[] = [],
  ) {}
  async send(m: OutgoingMessage): Promise<SendResult> {
    this.sent.push(m);
    const next = this.script.shift() ?? 'ok';
    if (next !== 'ok') throw next;
    return { status: this.name === 'voice' ? 'calling' : 'sent', providerId: `SM${this.sent.length}`, httpStatus: 201 };
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

  it(`after ${FALLBACK_AFTER} busy answers the person is also called, and the SMS keeps retrying until it goes`, async () => {
    use([...Array.from({ length: FALLBACK_AFTER + 3 }, busy), 'ok']);
    for (let i = 0; i < FALLBACK_AFTER + 3; i += 1) {
      await sendDue(u.ctx, notifiers);
      u.clock.advance(120_000);
    }
    expect(await smsOf()).toMatchObject({ status: 'retry', attempts: FALLBACK_AFTER + 3 });
    await sendDue(u.ctx, notifiers);
    expect(await smsOf()).toMatchObject({ status: 'sent', attempts: FALLBACK_AFTER + 4 });
    // One call for the SMS, however long it took.
    expect(notifiers.voice.sent).toHaveLength(1);
  });

  it('the backoff grows to its cap and no further', async () => {
    use(Array.from({ length: 20 }, busy));
    for (let i = 0; i < 20; i += 1) {
      await sendDue(u.ctx, notifiers);
      u.clock.advance(60_000);
    }
    const sms = await smsOf();
    expect(sms?.status).toBe('retry');
    expect((sms?.nextAttemptAt as number) - (sms?.history.at(-1)?.at as number)).toBe(DEFAULT_PAGING.retryCapMs);
  });

  it('retries stop once the alarm is acknowledged, for every recipient', async () => {
    use([busy()]);
    await sendDue(u.ctx, notifiers);
    await u.repos.alarms.transaction(async (tx) => {
      await u.repos.alarms.changeIfIn(
        tx,
        alarmId,
        'open',
        { state: 'acknowledged', acknowledgedAt: u.clock.now(), acknowledgedBy: 'usr_op' },
        u.clock.now(),
      );
    });
    u.clock.advance(60_000);
    await sendDue(u.ctx, notifiers);
    expect(notifiers.sms.sent).toHaveLength(1);
    expect((await smsOf())?.status).toBe('cancelled');
  });

  it('a page queued after the acknowledgement (the responder, on dispatch) keeps retrying', async () => {
    use([busy(), busy(), 'ok']);
    const now = u.clock.now();
    await u.repos.alarms.transaction(async (tx) => {
      await u.repos.alarms.changeIfIn(tx, alarmId, 'open', { state: 'dispatched', acknowledgedAt: now, acknowledgedBy: 'usr_op' }, now);
      await u.repos.outbox.cancel(tx, alarmId, now, true);
    });
    u.clock.advance(1000);
    const id = await u.repos.alarms.transaction((tx) =>
      u.repos.outbox.queue(
        tx,
        {
          alarmId,
          stepId: null,
          target: 'responder',
          recipientType: 'responder',
          recipientId: 'rsp_1',
          address: '+527470000001',
          channel: 'sms',
          language: 'es',
          template: 'responder',
          body: 'Alerta',
          untilAck: false,
        },
        u.clock.now(),
      ),
    );
    for (let i = 0; i < 3; i++) {
      await sendDue(u.ctx, notifiers);
      u.clock.advance(60_000);
    }
    expect(await u.repos.outbox.get(id)).toMatchObject({ status: 'sent', attempts: 3 });
  });

  const queueCall = (address: string) =>
    u.repos.alarms.transaction((tx) =>
      u.repos.outbox.queue(
        tx,
        {
          alarmId,
          stepId: null,
          target: 'contacts',
          recipientType: 'contact',
          recipientId: `ctc_${address}`,
          address,
          channel: 'voice',
          language: 'es',
          template: 'voice',
          body: 'Alerta',
          untilAck: false,
        },
        u.clock.now(),
      ),
    );

  it('two calls of one alarm to the same number: the second waits a minute after the first', async () => {
    use([], []);
    await sendDue(u.ctx, notifiers); // the step's own SMS
    const first = await queueCall('+525550000999');
    const second = await queueCall('+525550000999');
    await sendDue(u.ctx, notifiers);
    expect(notifiers.voice.sent.map((m) => m.notificationId)).toEqual([first]);
    expect(await u.repos.outbox.get(second)).toMatchObject({ status: 'retry', nextAttemptAt: u.clock.now() + DEFAULT_PAGING.callGapMs });
    u.clock.advance(DEFAULT_PAGING.callGapMs);
    await sendDue(u.ctx, notifiers);
    expect(notifiers.voice.sent.map((m) => m.notificationId)).toEqual([first, second]);
  });

  it('a call in doubt that the provider does not list yet is not placed again within a minute', async () => {
    use([], [new NotifierError('no answer', true, null, true), 'ok']);
    notifiers.voice.lookup = async () => null;
    await sendDue(u.ctx, notifiers);
    const call = await queueCall('+525550000998');
    const placedAt = u.clock.now();
    await sendDue(u.ctx, notifiers);
    expect(await u.repos.outbox.get(call)).toMatchObject({ status: 'retry', inDoubt: true });
    u.clock.advance(5_000);
    await sendDue(u.ctx, notifiers);
    expect(notifiers.voice.sent).toHaveLength(1);
    expect((await u.repos.outbox.get(call))?.nextAttemptAt).toBe(placedAt + DEFAULT_PAGING.callGapMs);
    u.clock.advance(DEFAULT_PAGING.callGapMs);
    await sendDue(u.ctx, notifiers);
    expect(notifiers.voice.sent).toHaveLength(2);
    expect(await u.repos.outbox.get(call)).toMatchObject({ status: 'calling', inDoubt: false });
  });

  it('a hung request does not hold back the others: it times out in doubt, and is looked up before any resend', async () => {
    const second = await u.raise(await u.device());
    const hung = new Scripted('sms');
    let firstAnswered = false;
    let firstPendingWhenSecondSent = false;
    hung.send = async (m) => {
      hung.sent.push(m);
      if (hung.sent.length === 1) return new Promise<SendResult>(() => undefined);
      firstPendingWhenSecondSent = !firstAnswered;
      return { status: 'sent', providerId: 'SM-other', httpStatus: 201 };
    };
    const lookedUp: OutgoingMessage[] = [];
    hung.lookup = async (m) => {
      lookedUp.push(m);
      return { status: 'sent', providerId: 'SM-first', httpStatus: 200 };
    };
    notifiers = { console: new Scripted('console'), sms: hung, voice: new Scripted('voice'), webhook: undefined };
    await sendDueJittered(u.ctx, notifiers, 50, { requestTimeoutMs: 300, random: () => 0 });
    firstAnswered = true;
    expect(firstPendingWhenSecondSent).toBe(true);
    const hungId = hung.sent[0]?.notificationId;
    const byId = async (id: string | undefined) => (await u.repos.outbox.ofAlarm(hung.sent[0]?.alarmId as string)).find((n) => n.id === id);
    expect(await byId(hungId)).toMatchObject({ status: 'retry', inDoubt: true });
    expect((await u.repos.outbox.ofAlarm(hung.sent[1]?.alarmId as string)).find((n) => n.channel === 'sms')?.status).toBe('sent');
    expect([alarmId, second]).toContain(hung.sent[0]?.alarmId);
    u.clock.advance(60_000);
    await sendDue(u.ctx, notifiers);
    // The provider had it: recorded with its id, not sent again.
    expect(lookedUp.map((m) => m.notificationId)).toEqual([hungId]);
    expect(hung.sent).toHaveLength(2);
    expect(await byId(hungId)).toMatchObject({ status: 'sent', providerId: 'SM-first', inDoubt: false });
  });

  it('a send in doubt that the provider does not have is sent again, with the same text', async () => {
    const sms = new Scripted('sms', [new NotifierError('socket hang up', true, null, true), 'ok']);
    sms.lookup = async () => null;
    notifiers = { console: new Scripted('console'), sms, voice: new Scripted('voice'), webhook: undefined };
    await sendDue(u.ctx, notifiers);
    expect(await smsOf()).toMatchObject({ status: 'retry', inDoubt: true });
    u.clock.advance(60_000);
    await sendDue(u.ctx, notifiers);
    expect(sms.sent).toHaveLength(2);
    expect(sms.sent[1]?.body).toBe(sms.sent[0]?.body);
    expect(await smsOf()).toMatchObject({ status: 'sent', inDoubt: false });
  });

  it('a send in doubt is not repeated while the provider cannot say whether it has it', async () => {
    const sms = new Scripted('sms', [new NotifierError('no answer', true, null, true)]);
    sms.lookup = async () => {
      throw new NotifierError('twilio answered 503', true, 503);
    };
    notifiers = { console: new Scripted('console'), sms, voice: new Scripted('voice'), webhook: undefined };
    await sendDue(u.ctx, notifiers);
    u.clock.advance(60_000);
    await sendDue(u.ctx, notifiers);
    expect(sms.sent).toHaveLength(1);
    expect(await smsOf()).toMatchObject({ status: 'retry', inDoubt: true });
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

  it('an SMS reported undelivered twice is followed by one call', async () => {
    use(['ok']);
    await sendDue(u.ctx, notifiers);
    const sms = await smsOf();
    expect(await fallBackToVoice(u.ctx, sms?.id as string, 'sms undelivered')).toMatch(/^ntf/);
    expect(await fallBackToVoice(u.ctx, sms?.id as string, 'sms failed')).toBeUndefined();
  });
});
