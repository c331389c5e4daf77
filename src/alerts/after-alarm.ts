import { DEVICE_OFFLINE_TASK } from '../domain/alarm.ts';
import { isPossibleSeizure, SEIZURE_WINDOW_MS } from '../domain/alarm-lifecycle.ts';
import { alarmRow, newId } from '../store/index.ts';
import { openAlarm } from './alarm-opener.ts';
import { type AlertsContext, ENGINE_ACTOR } from './context.ts';
import { applyTransition } from './lifecycle.ts';
import { loadAlarmForMessages, messageVars } from './message-vars.ts';
import { queueNotification } from './outbox.ts';
import { DEFAULT_LANGUAGE } from './templates.ts';
import { appendTimeline } from './timeline.ts';

/** Operator tasks are alarms of this kind (see README in this folder): they page through the same engine. */
export const DEVICE_OFFLINE = DEVICE_OFFLINE_TASK;

export type SeizureSignal = 'silent' | 'tamper' | 'power_lost' | 'disconnected';
const EVENT_KEY: Record<SeizureSignal, string> = {
  silent: 'eventSilent',
  tamper: 'eventTamper',
  power_lost: 'eventPowerLost',
  disconnected: 'eventDisconnected',
};

async function beneficiaryOf(ctx: AlertsContext, deviceId: string, given: string | null | undefined): Promise<string | null> {
  if (given) return given;
  const device = await ctx.db.selectFrom('devices').select('beneficiary_id').where('id', '=', deviceId).executeTakeFirst();
  return device?.beneficiary_id ?? null;
}

/**
 * P3: a silent device is an unprotected person. Opens an operator task to check on the
 * beneficiary, paged with the lower-priority device_offline policy; one open task per device.
 */
export async function openOfflineTask(
  ctx: AlertsContext,
  deviceId: string,
  beneficiaryId: string | null,
  at: number,
): Promise<string | undefined> {
  const ben = await beneficiaryOf(ctx, deviceId, beneficiaryId);
  if (!ben) return undefined;
  const now = ctx.clock.now();
  const existing = await ctx.db
    .selectFrom('alarms')
    .select('id')
    .where('device_id', '=', deviceId)
    .where('kind', '=', DEVICE_OFFLINE)
    .where('state', '<>', 'resolved')
    .executeTakeFirst();
  if (existing) return existing.id;
  const id = newId('tsk');
  try {
    await ctx.db
      .insertInto('alarms')
      .values(
        alarmRow({
          id,
          device_id: deviceId,
          beneficiary_id: ben,
          kind: DEVICE_OFFLINE,
          severity: 'low',
          test: 0,
          raised_at: at,
          received_at: now,
          press_count: 0,
        }),
      )
      .execute();
  } catch {
    // Another node opened it first (one open task per device and kind).
    return undefined;
  }
  await appendTimeline(ctx.db, {
    alarmId: id,
    at: now,
    kind: 'task_opened',
    actor: ENGINE_ACTOR,
    detail: { reason: 'device silent', silentSince: at },
  });
  await openAlarm(ctx, id);
  return id;
}

/** The device is back: its check-on-the-person task closes by itself as technical. */
export async function closeOfflineTask(ctx: AlertsContext, deviceId: string): Promise<void> {
  const open = await ctx.db
    .selectFrom('alarms')
    .select('id')
    .where('device_id', '=', deviceId)
    .where('kind', '=', DEVICE_OFFLINE)
    .where('state', '<>', 'resolved')
    .execute();
  for (const { id } of open) {
    await applyTransition(
      ctx,
      id,
      { type: 'resolve', outcome: 'technical' },
      { id: ENGINE_ACTOR, via: 'system' },
      'device recovered',
    ).catch(() => undefined);
  }
}

/**
 * docs/architecture.md, "The alarm's path": silence, tamper or power loss within 15 minutes of an alarm of the
 * same beneficiary raises that alarm to critical as a possible seizure and pages the supervisor.
 */
export async function checkSeizure(
  ctx: AlertsContext,
  deviceId: string,
  beneficiaryId: string | null | undefined,
  signal: SeizureSignal,
  at: number,
): Promise<string[]> {
  const ben = await beneficiaryOf(ctx, deviceId, beneficiaryId);
  if (!ben) return [];
  const candidates = await ctx.db
    .selectFrom('alarms')
    .select(['id', 'received_at'])
    .where('beneficiary_id', '=', ben)
    .where('kind', '<>', DEVICE_OFFLINE)
    .where('severity', '<>', 'critical')
    .where('received_at', '>=', at - SEIZURE_WINDOW_MS)
    .execute();
  const raised: string[] = [];
  for (const c of candidates.filter((x) => isPossibleSeizure(x.received_at, at))) {
    const now = ctx.clock.now();
    const ok = await ctx.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('alarms')
        .set({ severity: 'critical', updated_at: now })
        .where('id', '=', c.id)
        .where('severity', '<>', 'critical')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) return false;
      await appendTimeline(trx, {
        alarmId: c.id,
        at: now,
        kind: 'severity_raised',
        actor: ENGINE_ACTOR,
        detail: { to: 'critical', reason: `possible seizure: device ${signal}`, deviceId },
      });
      const a = await loadAlarmForMessages(trx, c.id);
      if (!a) return false;
      const vars = {
        ...messageVars(ctx.templates, DEFAULT_LANGUAGE, a),
        event: ctx.templates.render(DEFAULT_LANGUAGE, EVENT_KEY[signal], {}),
      };
      const body = ctx.templates.render(DEFAULT_LANGUAGE, 'seizure', vars);
      const base = {
        alarmId: c.id,
        stepId: null,
        target: 'supervisor' as const,
        language: DEFAULT_LANGUAGE,
        template: 'seizure',
        body,
        untilAck: false,
      };
      await queueNotification(trx, { ...base, recipientType: 'console', recipientId: null, address: null, channel: 'console' }, now);
      const sups = await trx
        .selectFrom('users')
        .select(['id', 'phone'])
        .where('role', '=', 'supervisor')
        .where('disabled_at', 'is', null)
        .where('phone', 'is not', null)
        .execute();
      for (const s of sups)
        await queueNotification(trx, { ...base, recipientType: 'user', recipientId: s.id, address: s.phone, channel: 'sms' }, now);
      return true;
    });
    if (ok) {
      raised.push(c.id);
      ctx.events.emit('alarm.escalated', { alarmId: c.id, severity: 'critical', reason: `possible seizure: device ${signal}`, at: now });
    }
  }
  if (raised.length > 0) ctx.kick();
  return raised;
}
