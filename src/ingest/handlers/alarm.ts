import { createHash } from 'node:crypto';
import type { AlarmKind } from '../../domain/alarm.ts';
import { alarmPayloadSchema, type Location, MAX_RAW_ALARM_BYTES, normalizeDeviceTime } from '../../domain/wire.ts';
import type { AlarmPress, PressOutcome } from '../../store/index.ts';
import { describeIssues, type IngestContext, parseJson, reject, type Uplink } from '../context.ts';
import type { DeviceView } from '../device-views.ts';
import { withinBound } from '../store-bound.ts';

interface ReadPress {
  deviceAlarmId: string;
  kind: AlarmKind;
  raisedAt: number;
  clockSuspect: boolean;
  /** The device's own time when it was replaced as suspect (null: not a time at all). */
  deviceTime?: number | null;
  loc?: Location | undefined;
  note?: string | undefined;
  raw?: string | undefined;
}

/**
 * P2: fail toward the alarm. An unreadable payload still raises an alarm, of kind `unknown`, with
 * its first 4 KiB kept; its id is a hash of the bytes, so a retransmission is recognised (P1).
 */
function readPress(ctx: IngestContext, u: Uplink): ReadPress {
  const json = parseJson(u.payload);
  const parsed = json.ok ? alarmPayloadSchema.safeParse(json.value) : undefined;
  if (parsed?.success) {
    const { at, clockSuspect } = normalizeDeviceTime(parsed.data.ts, u.receivedAt);
    return {
      deviceAlarmId: parsed.data.id,
      kind: parsed.data.kind,
      raisedAt: at,
      clockSuspect,
      ...(clockSuspect ? { deviceTime: deviceTimeOf(parsed.data.ts) } : {}),
      loc: parsed.data.loc,
      note: parsed.data.note,
    };
  }
  reject(ctx, u, json.ok ? 'invalid_fields' : 'invalid_json', json.ok ? describeIssues(parsed?.error?.issues ?? []) : json.detail);
  const digest = createHash('sha256').update(u.payload).digest('hex').slice(0, 40);
  return {
    deviceAlarmId: `raw:${digest}`,
    kind: 'unknown',
    raisedAt: u.receivedAt,
    clockSuspect: true,
    raw: u.payload.subarray(0, MAX_RAW_ALARM_BYTES).toString('base64'),
  };
}

/** Thrown when a press is neither stored nor journaled: the broker withholds its PUBACK (hooks.ts). */
export class AlarmWithheld extends Error {}

function pressOf(u: Uplink, read: ReadPress, view: DeviceView | undefined): AlarmPress {
  return {
    deviceId: u.deviceId,
    deviceAlarmId: read.deviceAlarmId,
    kind: read.kind,
    test: view?.onTestUntil != null && view.onTestUntil > u.receivedAt,
    raisedAt: read.raisedAt,
    receivedAt: u.receivedAt,
    clockSuspect: read.clockSuspect,
    beneficiaryId: view?.beneficiaryId ?? null,
    loc: read.loc,
    note: read.note,
    raw: read.raw,
    frameHex: u.frameHex,
    ...(read.clockSuspect ? { deviceTime: read.deviceTime ?? null } : {}),
  };
}

/**
 * `v1/devices/{id}/alarm`. P1: resolves only once the press is durable — stored in the database,
 * or, when the database does not answer within CENTINELA_ALARM_STORE_TIMEOUT_MS or fails, in the
 * node's local journal (issue 13; docs/architecture.md, "When the database is slow or away"); the
 * broker sends PUBACK after that. If neither holds it, it rejects with AlarmWithheld: no PUBACK,
 * the connection stays up, and the device retransmits. Once the store has failed a press, and
 * until it stores one again, new presses go to the journal straight away instead of each waiting
 * out the bound.
 */
export async function handleAlarm(ctx: IngestContext, u: Uplink): Promise<void> {
  const read = readPress(ctx, u);
  const { journal, timeoutMs } = ctx.alarmStore;
  if (journal && ctx.alarmStore.away && journal.pendingCount > 0) return journalPress(ctx, pressOf(u, read, ctx.views.cached(u.deviceId)));
  const started = Date.now();
  const stop = ctx.metrics.alarmStoreSeconds.startTimer();
  const viewed = await withinBound(ctx.repos.devices.intakeView(u.deviceId), timeoutMs);
  const view = viewed.ok ? ctx.views.remember(u.deviceId, viewed.value) : ctx.views.cached(u.deviceId);
  const press = pressOf(u, read, view);
  const commit = viewed.ok ? ctx.alarmCommits.submit(press) : undefined;
  const stored = commit ? await withinBound(commit, Math.max(1, timeoutMs - (Date.now() - started))) : viewed;
  stop();
  if (stored.ok) {
    ctx.alarmStore.away = false;
    return announceStored(ctx, press, stored.value as PressOutcome);
  }
  ctx.alarmStore.away = true;
  ctx.metrics.alarmStoreFailures.inc();
  ctx.logger.error(
    { err: stored.err, deviceId: u.deviceId, timedOut: stored.timedOut },
    journal ? 'alarm not stored in time; journaling it locally' : 'alarm could not be stored; withholding PUBACK so the device retransmits',
  );
  // A commit that lands after all is announced then; its replay from the journal is a duplicate.
  if (commit && stored.timedOut)
    commit.then(
      (late) => announceStored(ctx, press, late),
      () => {},
    );
  return journalPress(ctx, press);
}

async function journalPress(ctx: IngestContext, press: AlarmPress): Promise<void> {
  const { journal } = ctx.alarmStore;
  if (!journal) throw new AlarmWithheld('alarm not stored and no journal');
  try {
    await journal.append(press);
  } catch (err) {
    ctx.metrics.alarmsWithheld.inc();
    ctx.logger.error({ err, deviceId: press.deviceId }, 'alarm could not be journaled; withholding PUBACK so the device retransmits');
    throw new AlarmWithheld('alarm not journaled', { cause: err });
  }
  ctx.metrics.alarmsJournaled.inc();
  ctx.connections.connected(press.deviceId, press.receivedAt);
  ctx.logger.warn({ deviceId: press.deviceId, kind: press.kind, pending: journal.pendingCount }, 'alarm journaled locally; PUBACK sent');
  const journaled = {
    deviceId: press.deviceId,
    beneficiaryId: press.beneficiaryId,
    kind: press.kind,
    test: press.test || press.kind === 'test',
    at: press.raisedAt,
    receivedAt: press.receivedAt,
    pending: journal.pendingCount,
  };
  ctx.afterPuback.schedule(() => ctx.events.emit('alarm.journaled', journaled));
}

/** A press the database holds: counted, and announced unless it was a retransmission. */
export function announceStored(ctx: IngestContext, press: AlarmPress, outcome: PressOutcome): void {
  ctx.metrics.alarms.inc({ outcome: outcome.outcome, readable: press.raw === undefined ? 'yes' : 'no' });
  ctx.connections.connected(press.deviceId, press.receivedAt);
  if (outcome.outcome === 'duplicate') return;
  const raised = {
    alarmId: outcome.alarmId,
    deviceId: press.deviceId,
    beneficiaryId: press.beneficiaryId,
    kind: press.kind,
    severity: outcome.severity,
    test: press.test || press.kind === 'test',
    at: press.raisedAt,
    receivedAt: press.receivedAt,
    joined: outcome.outcome === 'joined',
    pressCount: outcome.pressCount,
    loc: press.loc ?? null,
    ...(press.clockSuspect ? { deviceTime: press.deviceTime ?? null } : {}),
  };
  // Logged and announced after this alarm's PUBACK has gone out: the log line (written to stdout
  // synchronously by default) and what the alerts engine does with the alarm (queries and commits
  // of its own, run synchronously by better-sqlite3 inside promise chains) would otherwise hold the
  // PUBACK back. The press is already durable, and alerts adopts stored alarms it never heard of
  // when it starts (P1).
  ctx.afterPuback.schedule(() => {
    ctx.logger.info(
      { deviceId: press.deviceId, alarmId: outcome.alarmId, kind: press.kind, outcome: outcome.outcome, test: press.test },
      'alarm stored',
    );
    ctx.events.emit('alarm.raised', raised);
  });
}

/** What the device claimed, as epoch ms, or null when it is not a time at all. */
function deviceTimeOf(ts: string | number): number | null {
  const at = typeof ts === 'number' ? ts : Date.parse(ts);
  return Number.isFinite(at) ? at : null;
}
