import { startOfDay, startOfMonth, wallClock } from '../domain/calendar.ts';
import type { GroupBy } from '../domain/reports-types.ts';
import type { EventBus } from '../events/index.ts';
import type { Repositories, WriteQueue } from '../store/index.ts';
import type { DeviceDirectory } from './device-directory.ts';
import type { JobDefinition } from './jobs.ts';
import { buildReport } from './report-service.ts';

const DAY = 86_400_000;

export interface JobContext {
  repos: Pick<Repositories, 'centreOutages' | 'healthReports' | 'protectionGaps' | 'incidents' | 'healthTelemetry' | 'jobRuns'>;
  directory: DeviceDirectory;
  /** Writes buffered telemetry before a job reads it. */
  flush(): Promise<void>;
  retention: { samplesDays: number; eventsDays: number; jobRunsDays: number; heartbeatDaysDays: number; telemetryDays: number };
  /** Deletes ingest's time series older than a time; returns how many points went. */
  pruneTelemetry: ((olderThan: number) => Promise<number>) | undefined;
  /** The centre's time zone: snapshots cover its days and months. */
  timeZone: string;
}

async function snapshot(ctx: JobContext, report: 'reliability' | 'cost', from: number, to: number, groupBy: GroupBy, now: number) {
  await ctx.flush();
  const body =
    report === 'reliability'
      ? await buildReport(
          ctx.repos,
          'reliability',
          { from, to, groupBy },
          { asOf: now, timeZone: ctx.timeZone, suppressSmallGroups: false },
        )
      : await buildReport(ctx.repos, 'cost', { from, to, groupBy }, { asOf: now, timeZone: ctx.timeZone, suppressSmallGroups: false });
  await ctx.repos.healthReports.saveSnapshot({ report, from, to, groupBy, at: now, body });
  return `${body.rows.length} groups`;
}

/** Opens a technician task for every device whose last test alarm is older than its model's interval. */
async function testReminders(ctx: JobContext, now: number): Promise<string> {
  const lastTest = await ctx.repos.healthReports.lastTestAlarms();
  let opened = 0;
  for (const d of ctx.directory.all()) {
    if (d.installedAt === null || d.installedAt > now || (d.retiredAt !== null && d.retiredAt <= now)) continue;
    const since = lastTest.get(d.id) ?? d.installedAt;
    if (now - since > d.testIntervalDays * DAY) {
      await ctx.repos.incidents.open(d.id, 'test_overdue', now);
      opened += 1;
    }
  }
  return `${opened} devices due a test`;
}

/** A test alarm (or any alarm while on test) closes the device's overdue-test task. */
export function closeTestTasks(events: EventBus, incidents: Repositories['incidents'], writes: WriteQueue): () => void {
  return events.on('alarm.raised', (e) => {
    if (e.test || e.kind === 'test') writes.enqueue('test done', () => incidents.close(e.deviceId, 'test_overdue', e.receivedAt, 'tested'));
  });
}

/**
 * Telemetry retention: ingest's time series (400 days by default), and health's own tables —
 * samples, device events, old job runs, and the per-day heartbeat counts beyond what reports
 * look back on.
 */
async function retention(ctx: JobContext, now: number): Promise<string> {
  const r = ctx.retention;
  const pruned = await ctx.repos.healthTelemetry.prune({
    samples: now - r.samplesDays * DAY,
    events: now - r.eventsDays * DAY,
    heartbeatDays: now - r.heartbeatDaysDays * DAY,
  });
  const runs = await ctx.repos.jobRuns.pruneBefore(now - r.jobRunsDays * DAY);
  const points = ctx.pruneTelemetry ? await ctx.pruneTelemetry(now - r.telemetryDays * DAY) : 0;
  return `pruned ${pruned.samples} samples, ${points} telemetry points, ${pruned.events} events, ${runs} job runs, ${pruned.days} day counts`;
}

/** Start of the centre's day containing `t`, `offset` days on. */
const centreDay = (t: number, timeZone: string, offset = 0) => {
  const w = wallClock(t, timeZone);
  return startOfDay(w.year, w.month, w.day + offset, timeZone);
};

export function healthJobs(ctx: JobContext, crons: Partial<Record<string, string>> = {}): JobDefinition[] {
  return [
    {
      name: 'reliability-snapshot',
      cron: crons['reliability-snapshot'] ?? '0 15 2 * * *',
      description: "Nightly: yesterday's reliability by device kind, kept as a snapshot",
      run: (now) => snapshot(ctx, 'reliability', centreDay(now, ctx.timeZone, -1), centreDay(now, ctx.timeZone), 'kind', now),
    },
    {
      name: 'monthly-cost-report',
      cron: crons['monthly-cost-report'] ?? '0 30 2 1 * *',
      description: "Monthly: last month's cost-effectiveness by model, kept as a snapshot",
      run: (now) => {
        const thisMonth = startOfMonth(now, ctx.timeZone);
        return snapshot(ctx, 'cost', startOfMonth(thisMonth - 1, ctx.timeZone), thisMonth, 'model', now);
      },
    },
    {
      name: 'test-reminders',
      cron: crons['test-reminders'] ?? '0 0 7 * * *',
      description: "Daily: a technician task for each device whose last test alarm is older than its model's interval",
      run: (now) => testReminders(ctx, now),
    },
    {
      name: 'telemetry-retention',
      cron: crons['telemetry-retention'] ?? '0 45 3 * * *',
      description: "Daily: prunes health's telemetry summaries past their retention",
      run: (now) => retention(ctx, now),
    },
  ];
}
