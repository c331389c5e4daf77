import type { EventBus } from '../events/index.ts';
import type { Clock, Logger } from '../platform/index.ts';
import type { AlarmJournal, Repositories } from '../store/index.ts';
import type { TelemetrySink } from '../store/telemetry/index.ts';
import type { HeartbeatAdmission } from './admission.ts';
import type { AfterPuback } from './after-puback.ts';
import type { AlarmCommits } from './alarm-commits.ts';
import type { ConnectionTracker } from './connection-tracker.ts';
import type { DeviceViews } from './device-views.ts';
import type { IngestErrorLog } from './ingest-errors.ts';
import type { IngestMetrics } from './metrics.ts';
import type { UplinkKind } from './topics.ts';

/** One message from (or for) a device, after authentication and the topic ACL. */
export interface Uplink {
  deviceId: string;
  kind: UplinkKind;
  payload: Buffer;
  receivedAt: number;
  /** True when the broker published the device's last will (it vanished). */
  fromWill: boolean;
  /** The protocol frame this message was decoded from (hex), for a device behind a protocol gateway. */
  frameHex?: string | undefined;
}

/** What message handlers need; built once by startIngest. */
export interface IngestContext {
  repos: Repositories;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  metrics: IngestMetrics;
  telemetry: TelemetrySink;
  errors: IngestErrorLog;
  admission: HeartbeatAdmission;
  connections: ConnectionTracker;
  /** Alarm presses' group commit (P1): each settles after the durable commit that holds it. */
  alarmCommits: AlarmCommits;
  /** `alarm.raised` / `alarm.journaled`, sent once the press's PUBACK is written. */
  afterPuback: AfterPuback;
  /** The bound on waiting for the store, and the local journal that takes over past it (issue 13). */
  alarmStore: {
    timeoutMs: number;
    journal: AlarmJournal | undefined;
    /** Set when the store failed a press; cleared when it stores one again. Presses go to the journal first meanwhile. */
    away: boolean;
  };
  /** The last view of each device read, for presses that arrive while the database is away. */
  views: DeviceViews;
}

/** Drops an unreadable message: counted per device and reason, visible to technicians. */
export function reject(ctx: IngestContext, u: Uplink, reason: string, detail: string): void {
  ctx.metrics.rejected.inc({ kind: u.kind, reason });
  ctx.errors.record(u.deviceId, u.kind, reason, detail, u.receivedAt);
  ctx.events.emit('ingest.rejected', { deviceId: u.deviceId, topic: u.kind, reason, at: u.receivedAt });
}

/** JSON from a payload, or the reason it is not JSON. */
export function parseJson(payload: Buffer): { ok: true; value: unknown } | { ok: false; detail: string } {
  try {
    return { ok: true, value: JSON.parse(payload.toString('utf8')) };
  } catch (err) {
    return { ok: false, detail: (err as Error).message.slice(0, 120) };
  }
}

/** A zod error in one line, naming fields but never echoing their values (they may be personal). */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
