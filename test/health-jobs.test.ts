import { afterEach, describe, expect, it } from 'vitest';
import { JobScheduler } from '../src/health/jobs.ts';
import { createLogger, ManualClock } from '../src/platform/index.ts';
import { ENGINES, freshStore, type TestStore } from './fixtures/databases.ts';
import { type HealthHarness, healthHarness } from './fixtures/health-harness.ts';

const DAY = 86_400_000;

describe.each(ENGINES)('scheduled jobs on %s', (engine) => {
  let db: TestStore | undefined;
  let h: HealthHarness | undefined;
  afterEach(async () => {
    await db?.cleanup();
    await h?.stop();
    db = undefined;
    h = undefined;
  });

  it('a job that throws is logged and recorded as failed, the others still run, and it runs again next time', async () => {
    db = await freshStore(engine);
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (s: string) => void lines.push(JSON.parse(s)) } as unknown as NodeJS.WritableStream & {
        write(s: string): boolean;
      },
    });
    const clock = new ManualClock(Date.UTC(2026, 6, 1));
    const scheduler = new JobScheduler(db.repos.jobRuns, logger, clock, 'America/Mexico_City');
    let attempts = 0;
    let okRuns = 0;
    scheduler.register([
      {
        name: 'flaky',
        cron: '0 0 3 * * *',
        description: 'fails the first time',
        run: async () => {
          attempts += 1;
          if (attempts === 1) throw new Error('database busy');
          return 'done';
        },
      },
      { name: 'steady', cron: '0 0 4 * * *', description: 'always works', run: async () => `run ${++okRuns}` },
    ]);
    scheduler.start();
    try {
      expect((await scheduler.runNow('flaky'))?.outcome).toBe('failed');
      expect((await scheduler.runNow('steady'))?.outcome).toBe('ok: run 1');
      expect(lines.some((l) => l.msg === 'scheduled job failed; it runs again at its next time' && l.job === 'flaky')).toBe(true);
      const status = await scheduler.status();
      expect(status.find((j) => j.name === 'flaky')?.lastRun).toMatchObject({ outcome: 'failed', error: 'database busy' });
      expect(status.every((j) => j.nextRun !== null)).toBe(true);
      clock.advance(DAY);
      expect((await scheduler.runNow('flaky'))?.outcome).toBe('ok: done');
    } finally {
      await scheduler.stop();
    }
  });

  it('the nightly snapshot stores yesterday’s reliability, and retention prunes old telemetry summaries', async () => {
    h = await healthHarness(engine);
    await h.addDevice('btn-1');
    h.heartbeat('btn-1', { battery: 90 });
    await h.api.flush();
    h.clock.advance(40 * DAY);
    h.heartbeat('btn-1', { battery: 80 });
    await h.api.flush();
    expect((await h.api.runJob('reliability-snapshot'))?.outcome).toBe('ok: 1 groups');
    const snaps = await h.db.store.db.selectFrom('health_report_snapshots').selectAll().execute();
    expect(snaps).toMatchObject([{ report: 'reliability', group_by: 'kind' }]);
    expect(JSON.parse(snaps[0]?.body ?? '{}').rows[0].group).toBe('panic_button');
    // The sample from 40 days ago is past the 30-day retention; today's stays.
    expect((await h.api.runJob('telemetry-retention'))?.outcome).toMatch(/^ok: pruned 1 samples/);
    const left = await h.db.store.db.selectFrom('health_samples').select('battery').execute();
    expect(left.map((r) => r.battery)).toEqual([80]);
  });
});
