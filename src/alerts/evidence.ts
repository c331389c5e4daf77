import { sha256Hex } from '../platform/secrets.ts';
import { type Actor, toIso } from '../store/index.ts';
import type { AlarmQueries } from './alarm-queries.ts';
import { toAlarmView } from './alarm-queries.ts';
import type { AlertsContext } from './context.ts';

export interface EvidenceExport {
  /** The exact JSON bytes whose SHA-256 the audit chain vouches for. */
  body: string;
  sha256: string;
  auditSeq: number;
}

/**
 * docs/architecture.md "Beyond the alarm": an alarm's full timeline — device presses, notifications with every
 * attempt, who did what and when — as one JSON document. Its SHA-256 is appended to the
 * hash-chained audit log in the same step, so a prosecutor can check the copy was not altered.
 */
export async function exportEvidence(ctx: AlertsContext, queries: AlarmQueries, actor: Actor, alarmId: string): Promise<EvidenceExport> {
  const alarm = toAlarmView(await queries.row(alarmId));
  const presses = await ctx.db.selectFrom('alarm_presses').selectAll().where('alarm_id', '=', alarmId).orderBy('received_at').execute();
  const reviews = await ctx.db.selectFrom('case_reviews').selectAll().where('alarm_id', '=', alarmId).execute();
  const document = {
    format: 'centinela.evidence/1',
    exportedAt: toIso(ctx.clock.now()),
    exportedBy: actor.id,
    alarm,
    presses: presses.map((p) => ({ deviceAlarmId: p.device_alarm_id, deviceTs: toIso(p.device_ts), receivedAt: toIso(p.received_at) })),
    timeline: await queries.timeline(alarmId),
    notifications: await queries.notifications(alarmId),
    caseReviews: reviews.map((r) => ({
      id: r.id,
      state: r.state,
      openedAt: toIso(r.opened_at),
      closedAt: toIso(r.closed_at),
      assignedTo: r.assigned_to,
    })),
  };
  const body = JSON.stringify(document);
  const sha256 = sha256Hex(body);
  const auditSeq = await ctx.db.transaction().execute(async (trx) => {
    await ctx.repos.audit.append(trx, actor, {
      action: 'export',
      recordType: 'alarm',
      recordId: alarmId,
      detail: { sha256, bytes: Buffer.byteLength(body) },
    });
    const head = await trx.selectFrom('audit_head').select('seq').where('id', '=', 1).executeTakeFirstOrThrow();
    return head.seq;
  });
  return { body, sha256, auditSeq };
}
