import { type Kysely, sql } from 'kysely';
import type { AlarmHistoryItem, AlarmSearch } from '../../domain/alarm-notes.ts';
import type { Actor } from '../actor.ts';
import { bool, toIso } from '../rows.ts';
import type { Database } from '../schema.ts';
import type { AuditLog } from './audit.ts';

/** Device tasks (a silent device) are not alarms a person raised: history lists alarms only. */
const TASK_KIND = 'device_offline';

/** `%` and `_` typed by the operator are letters, not wildcards. */
export const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Past and present alarms, searched by alias, device, kind, date and outcome; newest first.
 * Every filter is a bound parameter. The alias is personal data: the read is audited (P6).
 */
export class AlarmHistoryRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
  ) {}

  async search(actor: Actor, filter: AlarmSearch): Promise<{ items: AlarmHistoryItem[]; more: boolean }> {
    let q = this.db
      .selectFrom('alarms')
      .leftJoin('beneficiaries', 'beneficiaries.id', 'alarms.beneficiary_id')
      .select([
        'alarms.id',
        'alarms.device_id',
        'beneficiaries.alias',
        'alarms.kind',
        'alarms.severity',
        'alarms.state',
        'alarms.test',
        'alarms.received_at',
        'alarms.acknowledged_at',
        'alarms.resolved_at',
        'alarms.outcome',
      ])
      .where('alarms.kind', '!=', TASK_KIND);
    if (filter.alias)
      q = q.where(sql<boolean>`lower(${sql.ref('beneficiaries.alias')}) like ${`%${likeEscape(filter.alias.toLowerCase())}%`} escape '\\'`);
    if (filter.deviceId) q = q.where('alarms.device_id', '=', filter.deviceId);
    if (filter.kind) q = q.where('alarms.kind', '=', filter.kind);
    if (filter.outcome) q = q.where('alarms.outcome', '=', filter.outcome);
    if (filter.test) q = q.where('alarms.test', '=', filter.test === 'test' ? 1 : 0);
    if (filter.from) q = q.where('alarms.received_at', '>=', Date.parse(filter.from));
    if (filter.to) q = q.where('alarms.received_at', '<', Date.parse(filter.to));
    const rows = await q
      .orderBy('alarms.received_at', 'desc')
      .orderBy('alarms.id', 'desc')
      .limit(filter.limit + 1)
      .offset(filter.offset)
      .execute();
    const page = rows.slice(0, filter.limit);
    await this.audit.append(this.db, actor, {
      action: 'list',
      recordType: 'beneficiary',
      recordId: '*',
      detail: { fields: ['alias'], count: page.filter((r) => r.alias !== null).length, purpose: 'alarm history' },
    });
    return {
      more: rows.length > filter.limit,
      items: page.map((r) => ({
        id: r.id,
        deviceId: r.device_id,
        alias: r.alias,
        kind: r.kind,
        severity: r.severity,
        state: r.state,
        test: bool(r.test),
        receivedAt: toIso(Number(r.received_at)) as string,
        acknowledgedAt: toIso(r.acknowledged_at === null ? null : Number(r.acknowledged_at)),
        resolvedAt: toIso(r.resolved_at === null ? null : Number(r.resolved_at)),
        outcome: r.outcome,
      })),
    };
  }
}
