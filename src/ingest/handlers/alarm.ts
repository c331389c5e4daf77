import { createHash } from 'node:crypto';
import type { AlarmKind } from '../../domain/alarm.ts';
import { alarmPayloadSchema, type Location, MAX_RAW_ALARM_BYTES, normalizeDeviceTime } from '../../domain/wire.ts';
import type { AlarmPress, PressOutcome } from '../../store/index.ts';
import { describeIssues, type IngestContext, parseJson, reject, type Uplink } from '../context.ts';

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

/**
 * `v1/devices/{id}/alarm`. P1: resolves only once the press is durably stored; the broker sends
 * PUBACK after that, and a failure withholds the PUBACK so the device retransmits.
 */
export async function handleAlarm(ctx: IngestContext, u: Uplink): Promise<void> {
  const read = readPress(ctx, u);
  const view = await ctx.repos.devices.intakeView(u.deviceId);
  const test = view?.onTestUntil != null && view.onTestUntil > u.receivedAt;
  const press: AlarmPress = {
    deviceId: u.deviceId,
    deviceAlarmId: read.deviceAlarmId,
    kind: read.kind,
    test,
    raisedAt: read.raisedAt,
    receivedAt: u.receivedAt,
    clockSuspect: read.clockSuspect,
    beneficiaryId: view?.beneficiaryId ?? null,
    loc: read.loc,
    note: read.note,
    raw: read.raw,
    frameHex: u.frameHex,
  };
  const stop = ctx.metrics.alarmStoreSeconds.startTimer();
  let outcome: PressOutcome;
  try {
    outcome = await ctx.alarmCommits.submit(press);
  } catch (err) {
    ctx.metrics.alarmStoreFailures.inc();
    ctx.logger.error({ err, deviceId: u.deviceId }, 'alarm could not be stored; withholding PUBACK so the device retransmits');
    throw err;
  } finally {
    stop();
  }
  ctx.metrics.alarms.inc({ outcome: outcome.outcome, readable: read.raw === undefined ? 'yes' : 'no' });
  ctx.connections.connected(u.deviceId, u.receivedAt);
  if (outcome.outcome === 'duplicate') return;
  ctx.logger.info({ deviceId: u.deviceId, alarmId: outcome.alarmId, kind: read.kind, outcome: outcome.outcome, test }, 'alarm stored');
  const raised = {
    alarmId: outcome.alarmId,
    deviceId: u.deviceId,
    beneficiaryId: press.beneficiaryId,
    kind: read.kind,
    severity: outcome.severity,
    test: test || read.kind === 'test',
    at: read.raisedAt,
    receivedAt: u.receivedAt,
    joined: outcome.outcome === 'joined',
    pressCount: outcome.pressCount,
    loc: read.loc ?? null,
    ...(read.clockSuspect ? { deviceTime: read.deviceTime ?? null } : {}),
  };
  // Announced on the next turn of the event loop, after this alarm's PUBACK has gone out: what
  // the alerts engine does with it (queries and commits of its own, run synchronously by
  // better-sqlite3 inside promise chains) would otherwise hold the PUBACK back. The press is
  // already durable, and alerts adopts stored alarms it never heard of when it starts (P1).
  setImmediate(() => ctx.events.emit('alarm.raised', raised));
}

/** What the device claimed, as epoch ms, or null when it is not a time at all. */
function deviceTimeOf(ts: string | number): number | null {
  const at = typeof ts === 'number' ? ts : Date.parse(ts);
  return Number.isFinite(at) ? at : null;
}
