import type { GroupBy } from '../domain/reports-types.ts';
import type { Store } from '../store/index.ts';
import { newId } from '../store/index.ts';
import type { DeviceDirectory } from './device-directory.ts';
import type { Incidents } from './incidents.ts';
import type { JobDefinition } from './jobs.ts';
import { buildReport } from './report-service.ts';

const DAY = 86_400_000;

export interface JobContext {
  store: Store;
  directory: DeviceDirectory;
  incidents: Incidents;
  /** Writes buffered telemetry before a job reads it. */
  flush(): Promise<void>;
  retention: { samplesDays: number; eventsDays: number; jobRunsDays: number; heartbeatDaysDays: number; telemetryDays: number };
  /** Deletes ingest's time series older than a time; returns how many points went. */
  pruneTelemetry: ((olderThan: number) => Promise<number>) | undefined;
}

async function snapshot(ctx: JobContext, report: 'reliability' | 'cost', from: number, to: number, groupBy: GroupBy, now: number) {
  await ctx.flush();
  const body =
    report === 'reliability'
      ? await buildReport(ctx.store, 'reliability', { from, to, groupBy }, { asOf: now, suppressSmallGroups: false })
      : await buildReport(ctx.store, 'cost', { from, to, groupBy }, { asOf: now, suppressSmallGroups: false });
  await ctx.store.db
    .insertInto('health_report_snapshots')
    .values({ id: newId('snap'), report, period_from: from, period_to: to, group_by: groupBy, created_at: now, body: JSON.stringify(body) })
    .execute();
  return `${body.rows.length} groups`;
}

/** Opens a technician task for every device whose last test alarm is older than its model's interval. */
export async function testReminders(ctx: JobContext, now: number): Promise<string> {
  const last = await ctx.store.db
    .selectFrom('alarms')
    .select(['device_id', (eb) => eb.fn.max<number>('received_at').as('last')])
    .where((eb) => eb.or([eb('test', '=', 1), eb('kind', '=', 'test')]))
    .groupBy('device_id')
    .execute();
  const lastTest = new Map(last.map((r) => [r.device_id, Number(r.last)]));
  let opened = 0;
  for (const d of ctx.directory.all()) {
    if (d.installedAt === null || d.installedAt > now || (d.retiredAt !== null && d.retiredAt <= now)) continue;
    const since = lastTest.get(d.id) ?? d.installedAt;
    if (now - since > d.testIntervalDays * DAY) {
      await ctx.incidents.open(d.id, 'test_overdue', now);
      opened += 1;
    }
  }
  return `${opened} devices due a test`;
}

/**
 * Telemetry retention: ingest's time series (400 days by default), and health's own tables —
 * samples, device events, old job runs, and the per-day heartbeat counts beyond what reports
 * look back on.
 */
export async function retention(ctx: JobContext, now: number): Promise<string> {
  const r = ctx.retention;
  const db = ctx.store.db;
  const samples = await db
    .deleteFrom('health_samples')
    .where('received_at', '<', now - r.samplesDays * DAY)
    .executeTakeFirst();
  const events = await db
    .deleteFrom('health_device_events')
    .where('at', '<', now - r.eventsDays * DAY)
    .executeTakeFirst();
  const runs = await db
    .deleteFrom('health_job_runs')
    .where('started_at', '<', now - r.jobRunsDays * DAY)
    .executeTakeFirst();
  const days = await db
    .deleteFrom('health_heartbeat_days')
    .where('day', '<', now - r.heartbeatDaysDays * DAY)
    .executeTakeFirst();
  const points = ctx.pruneTelemetry ? await ctx.pruneTelemetry(now - r.telemetryDays * DAY) : 0;
  const n = (x: { numDeletedRows: bigint }) => Number(x.numDeletedRows);
  return `pruned ${n(samples)} samples, ${points} telemetry points, ${n(events)} events, ${n(runs)} job runs, ${n(days)} day counts`;
}

const startOfUtcDay = (t: number) => Math.floor(t / DAY) * DAY;
const startOfUtcMonth = (t: number, offset = 0) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
};

export function healthJobs(ctx: JobContext, crons: Partial<Record<string, string>> = {}): JobDefinition[] {
  return [
    {
      name: 'reliability-snapshot',
      cron: crons['reliability-snapshot'] ?? '0 15 2 * * *',
      description: "Nightly: yesterday's reliability by device kind, kept as a snapshot",
      run: (now) => snapshot(ctx, 'reliability', startOfUtcDay(now) - DAY, startOfUtcDay(now), 'kind', now),
    },
    {
      name: 'monthly-cost-report',
      cron: crons['monthly-cost-report'] ?? '0 30 2 1 * *',
      description: "Monthly: last month's cost-effectiveness by model, kept as a snapshot",
      run: (now) => snapshot(ctx, 'cost', startOfUtcMonth(now, -1), startOfUtcMonth(now), 'model', now),
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
