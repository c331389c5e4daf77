import type { Logger } from '../platform/index.ts';
import { type Leadership, type Repositories, startLeadership } from '../store/index.ts';
import type { JobScheduler } from './jobs.ts';
import type { Supervision } from './supervision.ts';

/**
 * Several nodes on one PostgreSQL database: one at a time supervises and one runs the scheduled
 * jobs, each taken over within seconds when its node dies (src/store/leadership.ts).
 */
export async function leadHealth(opts: {
  scope: Repositories['databaseScope'];
  url: string | undefined;
  logger: Logger;
  supervision: Supervision;
  scheduler: JobScheduler;
  runJobs: boolean;
}): Promise<Leadership[]> {
  // Advisory locks are per database: the schema in the role keeps clusters sharing one apart.
  const schema = await opts.scope.schema();
  const lead = (role: string, onAcquired: () => void | Promise<void>, onLost: () => void | Promise<void>) =>
    startLeadership({ role: `${role}:${schema}`, engine: opts.scope.engine, url: opts.url, onAcquired, onLost, logger: opts.logger });
  const held = [
    lead(
      'supervision',
      () => opts.supervision.takeOver(),
      () => opts.supervision.standDown(),
    ),
  ];
  if (opts.runJobs)
    held.push(
      lead(
        'jobs',
        () => opts.scheduler.start(),
        () => opts.scheduler.stop(),
      ),
    );
  return held;
}
