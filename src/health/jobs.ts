import cron, { type ScheduledTask } from 'node-cron';
import type { Clock, Logger } from '../platform/index.ts';
import type { Repositories } from '../store/index.ts';

export interface JobDefinition {
  name: string;
  /** node-cron expression with a seconds field. */
  cron: string;
  description: string;
  /** Returns a short summary for the run's record (no personal data). */
  run(now: number): Promise<string | undefined>;
}

export interface JobStatus {
  name: string;
  description: string;
  cron: string;
  lastRun: { startedAt: string; finishedAt: string | null; outcome: string; error: string | null } | null;
  nextRun: string | null;
}

/**
 * Scheduled jobs on node-cron. Each run is recorded; one that throws is logged and recorded as
 * failed and simply runs again at its next time — it never stops the others.
 */
export class JobScheduler {
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly defs = new Map<string, JobDefinition>();

  constructor(
    private readonly runs: Repositories['jobRuns'],
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly timezone: string,
  ) {}

  register(defs: JobDefinition[]): void {
    for (const d of defs) this.defs.set(d.name, d);
  }

  start(): void {
    for (const d of this.defs.values()) {
      const task = cron.schedule(
        d.cron,
        async () => {
          await this.runNow(d.name);
        },
        { name: d.name, timezone: this.timezone, noOverlap: true },
      );
      this.tasks.set(d.name, task);
    }
  }

  has(name: string): boolean {
    return this.defs.has(name);
  }

  /** Runs a job now, records the outcome, never throws. */
  async runNow(name: string): Promise<JobStatus['lastRun']> {
    const def = this.defs.get(name);
    if (!def) throw new Error(`no job named ${name}`);
    const startedAt = this.clock.now();
    const id = await this.runs.started(name, startedAt);
    let outcome = 'ok';
    let error: string | null = null;
    try {
      const summary = await def.run(startedAt);
      if (summary) outcome = `ok: ${summary}`.slice(0, 200);
    } catch (err) {
      outcome = 'failed';
      error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      this.logger.error({ err, job: name }, 'scheduled job failed; it runs again at its next time');
    }
    const finishedAt = this.clock.now();
    await this.runs.finished(id, finishedAt, outcome, error);
    return { startedAt: new Date(startedAt).toISOString(), finishedAt: new Date(finishedAt).toISOString(), outcome, error };
  }

  async status(): Promise<JobStatus[]> {
    const out: JobStatus[] = [];
    for (const d of this.defs.values()) {
      const last = await this.runs.last(d.name);
      const next = this.tasks.get(d.name)?.getNextRun() ?? null;
      out.push({
        name: d.name,
        description: d.description,
        cron: d.cron,
        lastRun: last
          ? {
              startedAt: new Date(last.startedAt).toISOString(),
              finishedAt: last.finishedAt === null ? null : new Date(last.finishedAt).toISOString(),
              outcome: last.outcome,
              error: last.error,
            }
          : null,
        nextRun: next ? next.toISOString() : null,
      });
    }
    return out;
  }

  async stop(): Promise<void> {
    for (const t of this.tasks.values()) await t.destroy();
    this.tasks.clear();
  }
}
