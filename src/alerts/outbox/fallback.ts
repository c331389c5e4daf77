import type { AlertsContext } from '../context.ts';
import { ENGINE_ACTOR } from '../context.ts';
import { messageVars } from '../message-vars.ts';

/**
 * A failed or undelivered SMS falls back to a voice call to the same person: a failed SMS never
 * leaves a person unpaged. Not once the alarm is resolved, nor, for a staff page, once someone
 * acknowledged; and once per SMS, however many times it fails or is reported undelivered (a
 * person is never called twice for one message). Returns the id of the queued call.
 */
export async function fallBackToVoice(ctx: AlertsContext, notificationId: string, reason: string): Promise<string | undefined> {
  const { alarms, outbox } = ctx.repos;
  const now = ctx.clock.now();
  const id = await alarms.transaction(async (tx) => {
    const n = await outbox.get(notificationId, tx);
    if (n?.channel !== 'sms' || !n.address) return undefined;
    const a = await alarms.forMessages(n.alarmId, tx);
    if (!a || a.alarm.state === 'resolved' || (n.untilAck && a.alarm.state !== 'open')) return undefined;
    if (await outbox.fallbackFor(n.id, tx)) return undefined;
    const body = ctx.templates.render(n.language, 'voice', messageVars(ctx.templates, n.language, a));
    const { alarmId, stepId, target, recipientType, recipientId, address, language, untilAck } = n;
    const voiceId = await outbox.queue(
      tx,
      {
        alarmId,
        stepId,
        target,
        recipientType,
        recipientId,
        address,
        channel: 'voice',
        language,
        template: 'voice',
        body,
        untilAck,
        fallbackOf: n.id,
      },
      now,
    );
    await alarms.appendTimeline(
      { alarmId, at: now, kind: 'fallback_to_voice', actor: ENGINE_ACTOR, detail: { from: notificationId, to: voiceId, reason } },
      tx,
    );
    return voiceId;
  });
  if (id) ctx.kick();
  return id;
}
