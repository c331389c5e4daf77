import { z } from 'zod';
import { ACCESS } from '../../access-policy.ts';
import type { RouteModule } from '../../deps.ts';
import { healthOf } from '../../health-part.ts';

const lastRun = z
  .object({ startedAt: z.string(), finishedAt: z.string().nullable(), outcome: z.string(), error: z.string().nullable() })
  .nullable();
const job = z.object({ name: z.string(), description: z.string(), cron: z.string(), lastRun, nextRun: z.string().nullable() });

/** Scheduled jobs: last run, outcome and next run; an administrator may run one now. */
export const healthJobRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/jobs',
    { config: { access: ACCESS.jobReaders }, schema: { tags: ['health'], response: { 200: z.object({ items: z.array(job) }) } } },
    async () => ({ items: await healthOf(deps).jobs() }),
  );

  app.post(
    '/api/jobs/:name/run',
    {
      config: { access: ACCESS.admin },
      schema: {
        tags: ['health'],
        params: z.object({ name: z.string().regex(/^[a-z-]{1,64}$/) }),
        response: { 200: z.object({ lastRun }) },
      },
    },
    async (req) => ({ lastRun: await healthOf(deps).runJob(req.params.name) }),
  );
};
