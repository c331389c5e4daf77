import { z } from 'zod';
import { ACCESS } from '../../access-policy.ts';
import { alertsOf } from '../../alerts-part.ts';
import type { RouteModule } from '../../deps.ts';

const provider = z.object({
  channel: z.enum(['sms', 'voice']),
  failing: z.boolean(),
  /** ISO time of the first failed request of the current outage; null while the provider works. */
  failingSince: z.string().nullable(),
  /** People of unresolved alarms still waiting for a message on this channel. */
  notReached: z.number().int(),
});

/**
 * Issue 13: a carrier outage is visible in the console ("SMS provider failing since hh:mm; N
 * contacts not yet reached"). The console polls this and shows a banner (src/web/js/paging-banner.js).
 */
export const pagingRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/paging',
    {
      config: { access: ACCESS.alarmHandlers },
      schema: {
        tags: ['alarms'],
        summary: 'Whether the SMS and voice providers are failing, since when, and how many people still wait for a page',
        response: { 200: z.object({ providers: z.array(provider) }) },
      },
    },
    async () => {
      const status = await alertsOf(deps).providers();
      return {
        providers: status.map((p) => ({ ...p, failingSince: p.failingSince === null ? null : new Date(p.failingSince).toISOString() })),
      };
    },
  );
};
