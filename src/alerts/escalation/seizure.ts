import { DEVICE_OFFLINE_TASK } from '../../domain/alarm.ts';
import { isPossibleSeizure, SEIZURE_WINDOW_MS } from '../../domain/alarm-lifecycle.ts';
import { type AlertsContext, ENGINE_ACTOR } from '../context.ts';
import { messageVars } from '../message-vars.ts';
import { DEFAULT_LANGUAGE } from '../templates.ts';

export type SeizureSignal = 'silent' | 'tamper' | 'power_lost' | 'disconnected' | 'missed_checkin';
const EVENT_KEY: Record<SeizureSignal, string> = {
  silent: 'eventSilent',
  tamper: 'eventTamper',
  power_lost: 'eventPowerLost',
  disconnected: 'eventDisconnected',
  missed_checkin: 'eventMissedCheckIn',
};

/**
 * After an alarm: silence, tamper or power loss within 15 minutes of an alarm of the same
 * beneficiary raises that alarm to critical as a possible seizure of the person and pages the
 * supervisor (docs: src/alerts/README.md). Returns the alarms raised.
 */
export async function checkSeizure(
  ctx: AlertsContext,
  deviceId: string,
  beneficiaryId: string | null | undefined,
  signal: SeizureSignal,
  at: number,
  /** How long after an alarm the signal still counts: 15 minutes, or a satellite phone's check-in window. */
  windowMs = SEIZURE_WINDOW_MS,
): Promise<string[]> {
  const { alarms, outbox, recipients } = ctx.repos;
  const ben = beneficiaryId || (await alarms.beneficiaryOfDevice(deviceId));
  if (!ben) return [];
  const candidates = await alarms.recentOf(ben, at - windowMs, DEVICE_OFFLINE_TASK);
  const raised: string[] = [];
  const reason = `possible seizure: device ${signal}`;
  const inWindow = (receivedAt: number) =>
    windowMs === SEIZURE_WINDOW_MS ? isPossibleSeizure(receivedAt, at) : receivedAt <= at && at - receivedAt <= windowMs;
  for (const c of candidates.filter((x) => inWindow(x.receivedAt))) {
    const now = ctx.clock.now();
    const ok = await alarms.transaction(async (tx) => {
      if (!(await alarms.raiseToCritical(tx, c.id, now))) return false;
      await alarms.appendTimeline(
        { alarmId: c.id, at: now, kind: 'severity_raised', actor: ENGINE_ACTOR, detail: { to: 'critical', reason, deviceId } },
        tx,
      );
      const a = await alarms.forMessages(c.id, tx);
      if (!a) return false;
      const vars = {
        ...messageVars(ctx.templates, DEFAULT_LANGUAGE, a),
        event: ctx.templates.render(DEFAULT_LANGUAGE, EVENT_KEY[signal], {}),
      };
      const base = {
        alarmId: c.id,
        stepId: null,
        target: 'supervisor' as const,
        language: DEFAULT_LANGUAGE,
        template: 'seizure',
        body: ctx.templates.render(DEFAULT_LANGUAGE, 'seizure', vars),
        untilAck: false,
      };
      await outbox.queue(tx, { ...base, recipientType: 'console', recipientId: null, address: null, channel: 'console' }, now);
      for (const s of await recipients.staffPhones(tx, 'supervisor'))
        await outbox.queue(tx, { ...base, recipientType: 'user', recipientId: s.userId, address: s.phone, channel: 'sms' }, now);
      return true;
    });
    if (ok) {
      raised.push(c.id);
      ctx.events.emit('alarm.escalated', { alarmId: c.id, severity: 'critical', reason, at: now });
    }
  }
  if (raised.length > 0) ctx.kick();
  return raised;
}
