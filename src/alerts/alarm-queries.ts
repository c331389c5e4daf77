import type { AlarmState } from '../domain/alarm.ts';
import { notFound } from '../domain/errors.ts';
import type { Actor } from '../store/index.ts';
import { toIso } from '../store/index.ts';
import type { AlarmTable } from '../store/schema.ts';
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

export const toAlarmView = (a: AlarmTable): AlarmView => ({
  id: a.id,
  deviceId: a.device_id,
  beneficiaryId: a.beneficiary_id,
  kind: a.kind,
  severity: a.severity,
  state: a.state as AlarmState,
  test: a.test === 1,
  policy: a.policy ? (JSON.parse(a.policy) as { name: string }).name : null,
  raisedAt: toIso(a.raised_at) as string,
  receivedAt: toIso(a.received_at) as string,
  pressCount: a.press_count,
  lastPressAt: toIso(a.last_press_at) as string,
  acknowledgedAt: toIso(a.acknowledged_at),
  acknowledgedBy: a.acknowledged_by,
  dispatchedAt: toIso(a.dispatched_at),
  dispatchedBy: a.dispatched_by,
  onSceneAt: toIso(a.on_scene_at),
  onSceneBy: a.on_scene_by,
  resolvedAt: toIso(a.resolved_at),
  resolvedBy: a.resolved_by,
  outcome: a.outcome,
  resolutionNote: a.resolution_note,
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
  attempts: number;
  providerId: string | null;
  reachedAt: string | null;
  createdAt: string;
  history: { attempt: number; at: string; status: string; httpStatus: number | null; providerId: string | null; error: string | null }[];
}

export class AlarmQueries {
  constructor(private readonly ctx: AlertsContext) {}

  async list(
    actor: Actor,
    filter: { state?: string | undefined; open?: boolean | undefined; limit?: number | undefined },
  ): Promise<AlarmView[]> {
    let q = this.ctx.db
      .selectFrom('alarms')
      .selectAll()
      .orderBy('received_at', 'desc')
      .limit(filter.limit ?? 200);
    if (filter.state) q = q.where('state', '=', filter.state);
    if (filter.open) q = q.where('state', '<>', 'resolved');
    const rows = await q.execute();
    await this.ctx.repos.audit.record(actor, { action: 'list', recordType: 'alarm', recordId: '*', detail: { count: rows.length } });
    return rows.map(toAlarmView);
  }

  async row(id: string): Promise<AlarmTable> {
    const row = await this.ctx.db.selectFrom('alarms').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('alarm', id);
    return row;
  }

  async get(actor: Actor, id: string) {
    const alarm = toAlarmView(await this.row(id));
    await this.ctx.repos.audit.record(actor, { action: 'read', recordType: 'alarm', recordId: id });
    return { ...alarm, timeline: await this.timeline(id), notifications: await this.notifications(id) };
  }

  async timeline(id: string): Promise<TimelineEntry[]> {
    const rows = await this.ctx.db.selectFrom('alarm_timeline').selectAll().where('alarm_id', '=', id).orderBy('seq').execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      at: toIso(r.at) as string,
      kind: r.kind,
      actor: r.actor,
      detail: r.detail ? JSON.parse(r.detail) : null,
    }));
  }

  async notifications(id: string): Promise<NotificationView[]> {
    const rows = await this.ctx.db
      .selectFrom('notifications')
      .selectAll()
      .where('alarm_id', '=', id)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const attempts = rows.length
      ? await this.ctx.db
          .selectFrom('notification_attempts')
          .selectAll()
          .where(
            'notification_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('attempt')
          .execute()
      : [];
    return rows.map((n) => ({
      id: n.id,
      target: n.target,
      channel: n.channel,
      recipientType: n.recipient_type,
      recipientId: n.recipient_id,
      language: n.language,
      status: n.status,
      attempts: n.attempts,
      providerId: n.provider_id,
      reachedAt: toIso(n.reached_at),
      createdAt: toIso(n.created_at) as string,
      history: attempts
        .filter((a) => a.notification_id === n.id)
        .map((a) => ({
          attempt: a.attempt,
          at: toIso(a.at) as string,
          status: a.status,
          httpStatus: a.http_status,
          providerId: a.provider_id,
          error: a.error,
        })),
    }));
  }
}
