import type { Kysely } from 'kysely';
import type { JobRun } from '../../domain/health.ts';
import { newId } from '../ids.ts';
import type { Database } from '../schema.ts';

/** The record of each scheduled job's runs. */
export class JobRunRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records a run as started; returns its id. */
  async started(job: string, at: number): Promise<string> {
    const id = newId('job');
    await this.db
      .insertInto('health_job_runs')
      .values({ id, job, started_at: at, finished_at: null, outcome: 'running', error: null })
      .execute();
    return id;
  }

  async finished(id: string, at: number, outcome: string, error: string | null): Promise<void> {
    await this.db.updateTable('health_job_runs').set({ finished_at: at, outcome, error }).where('id', '=', id).execute();
  }

  async last(job: string): Promise<JobRun | undefined> {
    const r = await this.db
      .selectFrom('health_job_runs')
      .selectAll()
      .where('job', '=', job)
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r ? { startedAt: r.started_at, finishedAt: r.finished_at, outcome: r.outcome, error: r.error } : undefined;
  }

  /** Deletes runs started before `before`; returns how many went. */
  async pruneBefore(before: number): Promise<number> {
    const r = await this.db.deleteFrom('health_job_runs').where('started_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
