import { sha256Hex } from '../platform/secrets.ts';
import { type Actor, toIso } from '../store/index.ts';
import type { AlarmQueries } from './alarm-queries.ts';
import type { AlertsContext } from './context.ts';

export interface EvidenceExport {
  /** The exact JSON bytes whose SHA-256 the audit chain vouches for. */
  body: string;
  sha256: string;
  auditSeq: number;
}

/**
 * An alarm's full timeline — device presses, notifications with every attempt, who did what
 * and when — as one JSON document. Its SHA-256 is appended to the hash-chained audit log in the
 * same step, so a prosecutor can check the copy was not altered.
 */
export async function exportEvidence(ctx: AlertsContext, queries: AlarmQueries, actor: Actor, alarmId: string): Promise<EvidenceExport> {
  const { alarms, caseReviews, audit } = ctx.repos;
  const alarm = await queries.view(alarmId);
  const presses = await alarms.presses(alarmId);
  const reviews = await caseReviews.ofAlarm(alarmId);
  const document = {
    format: 'centinela.evidence/1',
    exportedAt: toIso(ctx.clock.now()),
    exportedBy: actor.id,
    alarm,
    presses: presses.map((p) => ({ deviceAlarmId: p.deviceAlarmId, deviceTs: toIso(p.deviceTs), receivedAt: toIso(p.receivedAt) })),
    // What the device sent, byte for byte (an unreadable payload, a GT06/DC-09/SBD frame).
    deviceMessage: await alarms.deviceMessage(alarmId),
    timeline: await queries.timeline(alarmId),
    notifications: await queries.notifications(alarmId),
    actionPlan: (await ctx.actionPlans?.view(alarmId)) ?? null,
    caseReviews: reviews.map((r) => ({
      id: r.id,
      state: r.state,
      openedAt: toIso(r.openedAt),
      closedAt: toIso(r.closedAt),
      assignedTo: r.assignedTo,
    })),
  };
  const body = JSON.stringify(document);
  const sha256 = sha256Hex(body);
  const auditSeq = await alarms.transaction(async (tx) => {
    await audit.append(tx, actor, {
      action: 'export',
      recordType: 'alarm',
      recordId: alarmId,
      detail: { sha256, bytes: Buffer.byteLength(body) },
    });
    return (await audit.head(tx)).seq;
  });
  return { body, sha256, auditSeq };
}
