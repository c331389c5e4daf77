import type { AlarmState } from '../domain/alarm.ts';
import type { Actor, Alarm } from '../store/index.ts';
import { toIso } from '../store/index.ts';
import type { AlertsContext } from './context.ts';

export interface AlarmView {
  id: string;
  deviceId: string;
  beneficiaryId: string | null;
  kind: string;
  severity: string;
  state: AlarmState;
  test: boolean;
  policy: string | null;
  raisedAt: string;
  receivedAt: string;
  /** The device's clock was not believable: raisedAt is the receive time, deviceReportedAt what it said. */
  clockSuspect: boolean;
  deviceReportedAt: string | null;
  pressCount: number;
  lastPressAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  dispatchedAt: string | null;
  dispatchedBy: string | null;
  onSceneAt: string | null;
  onSceneBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  outcome: string | null;
  resolutionNote: string | null;
}

const toAlarmView = (a: Alarm): AlarmView => ({
  id: a.id,
  deviceId: a.deviceId,
  beneficiaryId: a.beneficiaryId,
  kind: a.kind,
  severity: a.severity,
  state: a.state,
  test: a.test,
  policy: a.policy?.name ?? null,
  raisedAt: toIso(a.raisedAt) as string,
  receivedAt: toIso(a.receivedAt) as string,
  clockSuspect: a.clockSuspect,
  deviceReportedAt: toIso(a.deviceReportedAt),
  pressCount: a.pressCount,
  lastPressAt: toIso(a.lastPressAt) as string,
  acknowledgedAt: toIso(a.acknowledgedAt),
  acknowledgedBy: a.acknowledgedBy,
  dispatchedAt: toIso(a.dispatchedAt),
  dispatchedBy: a.dispatchedBy,
  onSceneAt: toIso(a.onSceneAt),
  onSceneBy: a.onSceneBy,
  resolvedAt: toIso(a.resolvedAt),
  resolvedBy: a.resolvedBy,
  outcome: a.outcome,
  resolutionNote: a.resolutionNote,
});

export interface TimelineEntry {
  seq: number;
  at: string;
  kind: string;
  actor: string;
  detail: Record<string, unknown> | null;
}

export interface NotificationView {
  id: string;
  target: string;
  channel: string;
  recipientType: string;
  recipientId: string | null;
  language: string;
  status: string;
  /** Why it was not sent or failed (the last attempt's error or reason code). */
  reason: string | null;
  /** The message text: the operator can read every outbox entry (issue 14 §1). */
  body: string;
  attempts: number;
  providerId: string | null;
  reachedAt: string | null;
  createdAt: string;
  history: { attempt: number; at: string; status: string; httpStatus: number | null; providerId: string | null; error: string | null }[];
}

/** The alarm reads the API serves, each audited (P6). */
export class AlarmQueries {
  constructor(private readonly ctx: AlertsContext) {}

  /** An unreadable alarm is logged and left out: the operator still sees every other one. */
  async list(
    actor: Actor,
    filter: { state?: string | undefined; open?: boolean | undefined; limit?: number | undefined },
  ): Promise<AlarmView[]> {
    const { items, bad } = await this.ctx.repos.alarms.list(filter);
    for (const err of bad) this.ctx.logger.error({ err, ...err.details }, 'alarm row unreadable; left out of the list');
    await this.ctx.repos.audit.record(actor, { action: 'list', recordType: 'alarm', recordId: '*', detail: { count: items.length } });
    return items.map(toAlarmView);
  }

  async view(id: string): Promise<AlarmView> {
    return toAlarmView(await this.ctx.repos.alarms.require(id));
  }

  async get(actor: Actor, id: string) {
    const alarm = await this.view(id);
    await this.ctx.repos.audit.record(actor, { action: 'read', recordType: 'alarm', recordId: id });
    return {
      ...alarm,
      timeline: await this.timeline(id),
      notifications: await this.notifications(id),
      plan: (await this.ctx.actionPlans?.view(id)) ?? null,
    };
  }

  async timeline(id: string): Promise<TimelineEntry[]> {
    return (await this.ctx.repos.alarms.timeline(id)).map((e) => ({ ...e, at: toIso(e.at) as string }));
  }

  async notifications(id: string): Promise<NotificationView[]> {
    return (await this.ctx.repos.outbox.ofAlarm(id)).map((n) => ({
      id: n.id,
      target: n.target,
      channel: n.channel,
      recipientType: n.recipientType,
      recipientId: n.recipientId,
      language: n.language,
      status: n.status,
      reason: n.history.at(-1)?.error ?? null,
      body: n.body,
      attempts: n.attempts,
      providerId: n.providerId,
      reachedAt: toIso(n.reachedAt),
      createdAt: toIso(n.createdAt) as string,
      history: n.history.map((a) => ({ ...a, at: toIso(a.at) as string })),
    }));
  }
}
